using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Tessel.Cluster;
using Tessel.Measure;
using Tessel.Tests.Support;

namespace Tessel.IntegrationTests.Cluster;

/// <summary>Two clusters of different names on localhost: each has ports of its own, and a worker serves only its own
/// cluster's tuners. Before names, every localhost worker joined every localhost cluster, and a leftover worker
/// answered another run's items.</summary>
[Collection(SerialCollection.Name)]
public sealed class ClusterNameTests
{
    // Stand-in costs say whose worker measured an item.
    private static readonly TimeSpan CostOnA = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan CostOnB = TimeSpan.FromMilliseconds(30);

    [Fact]
    public async Task A_worker_of_one_cluster_answers_none_of_another_clusters_items()
    {
        var (a, b) = TwoClusters();
        using var workerA = Worker(a, CostOnA);
        await workerA.StartAsync();
        try
        {
            // Only A's worker is up: B's tuner finds no worker of its own, and says so within seconds.
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAsync<TimeoutException>(() => ClusterMeasurer.ConnectAsync(b, MeasurerFixture.Options, TimeSpan.FromSeconds(5)));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"B's tuner took {clock.Elapsed.TotalSeconds:F0} s to give up");

            using var workerB = Worker(b, CostOnB);
            await workerB.StartAsync();
            try
            {
                await using var measurerB = await ClusterMeasurer.ConnectAsync(b, MeasurerFixture.Options, TimeSpan.FromSeconds(30));
                await using var measurerA = await ClusterMeasurer.ConnectAsync(a, MeasurerFixture.Options, TimeSpan.FromSeconds(30));
                Assert.All(await measurerB.MeasureAsync(Inputs()), r => Assert.Equal(CostOnB.TotalSeconds, Assert.Single(r.Costs)));
                Assert.All(await measurerA.MeasureAsync(Inputs()), r => Assert.Equal(CostOnA.TotalSeconds, Assert.Single(r.Costs)));
            }
            finally { await workerB.StopAsync(); }
        }
        finally { await workerA.StopAsync(); }
    }

    /// <summary>Two fresh names whose port blocks differ (names share a block once in <see cref="ClusterAddress.PortBlocks"/>).</summary>
    private static (ClusterAddress A, ClusterAddress B) TwoClusters()
    {
        while (true)
        {
            var a = ClusterAddress.Parse($"localhost/a-{Guid.NewGuid():N}");
            var b = ClusterAddress.Parse($"localhost/b-{Guid.NewGuid():N}");
            if (a.SiloPort(0) != b.SiloPort(0)) return (a, b);
        }
    }

    private static IHost Worker(ClusterAddress address, TimeSpan perItem) =>
        ClusterHosts.Worker(address, 0, Tessel.Workloads.Target.Host.Text, () => new StandInWorkRunner(perItem));

    private static List<MeasureInput> Inputs()
    {
        var task = FaultyTestTemplate.Task();
        return Enumerable.Range(0, 2 * WorkerLoop.BatchSize).Select(i => new MeasureInput(task, FaultyTestTemplate.Config(task, "ok", i))).ToList();
    }
}
