using Microsoft.Extensions.Hosting;
using Tessel.Cluster;
using Tessel.Measure;
using Tessel.Tests.Measure;

namespace Tessel.Tests.Cluster;

/// <summary>Measurement on an Orleans cluster on loopback (localhost clustering), workers in this process.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests
{
    private static readonly ClusterAddress Localhost = ClusterAddress.Parse("localhost");

    [Fact]
    public async Task Two_workers_share_a_batch_and_every_result_comes_back_in_order()
    {
        var target = Tessel.Tasks.Target.Host.Text;
        using var first = ClusterHosts.Worker(Localhost, 0, target, () => new StandInWorkRunner(TimeSpan.FromMilliseconds(20)));
        using var second = ClusterHosts.Worker(Localhost, 1, target, () => new StandInWorkRunner(TimeSpan.FromMilliseconds(20)));
        await first.StartAsync();
        await second.StartAsync();
        try
        {
            await using var measurer = await ClusterMeasurer.ConnectAsync(Localhost, MeasurerFixture.Options, TimeSpan.FromSeconds(60));
            await measurer.WaitForWorkersAsync(target, TimeSpan.FromSeconds(60), count: 2);
            var task = FaultyTestTemplate.Task();
            var inputs = Enumerable.Range(0, 64).Select(i => new MeasureInput(task, FaultyTestTemplate.Config(task, "ok", i))).ToList();
            var results = await measurer.MeasureAsync(inputs);
            Assert.Equal(64, results.Count);
            Assert.All(results, r => Assert.True(r.IsValid));
            Assert.Equal(64, measurer.MeasuredBy.Values.Sum());
            Assert.Equal(2, measurer.MeasuredBy.Count);
        }
        finally
        {
            await second.StopAsync();
            await first.StopAsync();
        }
    }
}
