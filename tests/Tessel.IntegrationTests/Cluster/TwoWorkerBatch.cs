using Microsoft.Extensions.Hosting;
using Tessel.Cluster;
using Tessel.Measure;
using Tessel.Tests.Support;

namespace Tessel.IntegrationTests.Cluster;

/// <summary>Two in-process workers (stand-in runners) on a cluster and a tuner that sends them one batch: every
/// result comes back valid, in order, and both workers measured part of it.</summary>
public static class TwoWorkerBatch
{
    public static async Task ShareAsync(ClusterAddress address, int firstIndex)
    {
        var target = Tessel.Workloads.Target.Host.Text;
        using var first = ClusterHosts.Worker(address, firstIndex, target, () => new StandInWorkRunner(TimeSpan.FromMilliseconds(20)));
        using var second = ClusterHosts.Worker(address, firstIndex + 1, target, () => new StandInWorkRunner(TimeSpan.FromMilliseconds(20)));
        await first.StartAsync();
        await second.StartAsync();
        try
        {
            await using var measurer = await ClusterMeasurer.ConnectAsync(address, MeasurerFixture.Options, TimeSpan.FromSeconds(60));
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
