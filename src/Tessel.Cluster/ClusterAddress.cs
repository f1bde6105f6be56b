using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Tessel.Cluster;

/// <summary>Where the cluster's membership lives and which cluster it is: <c>localhost[/NAME]</c> (Orleans's development
/// clustering on loopback, worker 0 the primary) or <c>redis://HOST:PORT[/NAME]</c> (membership in Redis: workers on any
/// machine, none of them special). The name is Orleans's cluster and service id, so workers serve only their own
/// cluster's tuners; it also picks the ports: worker k of the unnamed cluster (<see cref="DefaultName"/>) listens on silo
/// port 11111+k and gateway port 30000+k, a named cluster on a block of its own (<see cref="PortBlocks"/>).</summary>
public sealed partial record ClusterAddress(string? Redis, string Name)
{
    public const string DefaultName = "tessel";

    /// <summary>Workers a cluster on one machine has room for (their port offsets).</summary>
    public const int LocalWorkers = 16;

    /// <summary>Blocks of ports named clusters are spread over, from <see cref="NamedPortsStart"/>: two names share a
    /// block (then their workers cannot run at once on one machine) with odds of one in this.</summary>
    public const int PortBlocks = 500;

    /// <summary>Named clusters' ports: below Linux's ephemeral range (32768 up), clear of the unnamed cluster's.</summary>
    private const int NamedPortsStart = 12000;

    private const int DefaultSiloPort = 11111;
    private const int DefaultGatewayPort = 30000;

    public static ClusterAddress Parse(string text)
    {
        if (text == "localhost") return new ClusterAddress(null, DefaultName);
        if (text.StartsWith("localhost/", StringComparison.Ordinal)) return new ClusterAddress(null, ValidName(text, text["localhost/".Length..]));
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == "redis" && uri.Port > 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0)
        {
            var path = uri.AbsolutePath.TrimStart('/');
            return new ClusterAddress($"{uri.Host}:{uri.Port}", uri.AbsolutePath == "/" ? DefaultName : ValidName(text, path));
        }
        throw new FormatException($"--cluster: '{text}' is neither 'localhost[/NAME]' nor 'redis://HOST:PORT[/NAME]'");
    }

    /// <summary>Worker <paramref name="index"/>'s silo port.</summary>
    public int SiloPort(int index) => (Name == DefaultName ? DefaultSiloPort : NamedBlock) + index;

    /// <summary>Worker <paramref name="index"/>'s gateway port (worker 0's is where tuners connect on localhost).</summary>
    public int GatewayPort(int index) => (Name == DefaultName ? DefaultGatewayPort : NamedBlock + LocalWorkers) + index;

    /// <summary>Worker 0's silo endpoint: the primary of a localhost cluster.</summary>
    public IPEndPoint Primary => new(IPAddress.Loopback, SiloPort(0));

    public override string ToString() => (Redis is null ? "localhost" : $"redis://{Redis}") + (Name == DefaultName ? "" : $"/{Name}");

    /// <summary>The first port of the name's block (silo ports, then gateway ports): a hash that is the same in every
    /// process (string.GetHashCode is not).</summary>
    private int NamedBlock =>
        NamedPortsStart + 2 * LocalWorkers * (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(Name))) % PortBlocks);

    /// <summary>Characters every membership store takes (Redis keys join ids with '/'), and no blanks (Orleans rejects them).</summary>
    private static string ValidName(string text, string name) => NamePattern().IsMatch(name)
        ? name
        : throw new FormatException($"--cluster: '{text}' has a bad cluster name '{name}': use 1-64 letters, digits, '-', '_' or '.'");

    [GeneratedRegex(@"\A[A-Za-z0-9_.\-]{1,64}\z")]
    private static partial Regex NamePattern();
}
