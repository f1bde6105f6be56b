using Tessel.Cluster;

namespace Tessel.Tests.Cluster;

/// <summary>What <c>--cluster</c> accepts: the membership store, the cluster's name (Orleans's ids), and the ports the name picks.</summary>
public sealed class ClusterAddressTests
{
    [Fact]
    public void Plain_addresses_keep_the_default_name_and_its_ports()
    {
        var local = ClusterAddress.Parse("localhost");
        Assert.Equal(new ClusterAddress(null, ClusterAddress.DefaultName), local);
        Assert.Equal((11111, 30000, 11114, 30003), (local.SiloPort(0), local.GatewayPort(0), local.SiloPort(3), local.GatewayPort(3)));
        Assert.Equal("localhost", local.ToString());
        Assert.Equal(new ClusterAddress("10.0.0.7:6379", ClusterAddress.DefaultName), ClusterAddress.Parse("redis://10.0.0.7:6379"));
        Assert.Equal(new ClusterAddress("10.0.0.7:6379", ClusterAddress.DefaultName), ClusterAddress.Parse("redis://10.0.0.7:6379/"));
    }

    [Fact]
    public void A_name_is_the_cluster_id_and_picks_ports_every_process_agrees_on()
    {
        var alpha = ClusterAddress.Parse("localhost/alpha");
        Assert.Equal(new ClusterAddress(null, "alpha"), alpha);
        Assert.Equal("localhost/alpha", alpha.ToString());
        // Pinned: workers and tuners are separate processes (and builds), so the ports cannot come from a per-process hash.
        Assert.Equal((24224, 24240, 24226, 24242), (alpha.SiloPort(0), alpha.GatewayPort(0), alpha.SiloPort(2), alpha.GatewayPort(2)));
        Assert.Equal(18656, ClusterAddress.Parse("localhost/beta").SiloPort(0));
        var redis = ClusterAddress.Parse("redis://127.0.0.1:6379/Team_2.x-y");
        Assert.Equal(new ClusterAddress("127.0.0.1:6379", "Team_2.x-y"), redis);
        Assert.Equal("redis://127.0.0.1:6379/Team_2.x-y", redis.ToString());
    }

    [Theory]
    [InlineData("localhost/")]
    [InlineData("localhost/two words")]
    [InlineData("localhost/a/b")]
    [InlineData("localhost/café")]
    [InlineData("localhost/name\n")]
    [InlineData("redis://127.0.0.1:6379/a%20b")]
    [InlineData("redis://127.0.0.1:6379/a/b")]
    public void A_bad_name_is_a_format_error_naming_the_option_and_the_name(string text)
    {
        var e = Assert.Throws<FormatException>(() => ClusterAddress.Parse(text));
        Assert.StartsWith("--cluster: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("bad cluster name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_of_65_characters_is_too_long() =>
        Assert.Throws<FormatException>(() => ClusterAddress.Parse("localhost/" + new string('n', 65)));

    [Theory]
    [InlineData("")]
    [InlineData("localhostx")]
    [InlineData("redis://127.0.0.1")]
    [InlineData("redis://127.0.0.1:6379/a?b=c")]
    [InlineData("http://127.0.0.1:6379/a")]
    public void Other_addresses_are_a_format_error_naming_both_forms(string text)
    {
        var e = Assert.Throws<FormatException>(() => ClusterAddress.Parse(text));
        Assert.Contains("'localhost[/NAME]' nor 'redis://HOST:PORT[/NAME]'", e.Message, StringComparison.Ordinal);
    }
}
