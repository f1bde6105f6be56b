using System.Diagnostics;
using Tessel.Cluster;
using Tessel.Measure;
using Tessel.IntegrationTests.Cli;
using Tessel.Tests.Support;

namespace Tessel.IntegrationTests.Cluster;

/// <summary>Workers as separate <c>tessel worker</c> processes on a localhost cluster: one is killed (SIGKILL) while it
/// holds items and another joins mid-run; every item still comes back exactly once.</summary>
[Collection(SerialCollection.Name)]
public sealed class WorkerProcessClusterTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessel-cluster-").FullName;
    private readonly List<Process> workers = [];
    private readonly ClusterAddress address = ClusterAddress.Parse($"localhost/processes-{Guid.NewGuid():N}");

    public void Dispose()
    {
        foreach (var worker in workers)
        {
            if (!worker.HasExited) worker.Kill(entireProcessTree: true);
            worker.Dispose();
        }
        Directory.Delete(directory, recursive: true);
    }

    private Process StartWorker(int index)
    {
        var worker = CliRunner.Start(directory, "worker", "--cluster", address.ToString(), "--index", $"{index}", "--stand-in-ms", "100");
        worker.OutputDataReceived += (_, _) => { };
        worker.ErrorDataReceived += (_, _) => { };
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        workers.Add(worker);
        return worker;
    }

    [Fact]
    public async Task A_worker_killed_mid_run_loses_nothing_and_one_that_joins_gets_work()
    {
        StartWorker(0);
        var doomed = StartWorker(1);
        await using var measurer = await ClusterMeasurer.ConnectAsync(address, MeasurerFixture.Options, TimeSpan.FromMinutes(1));
        // Both workers up before the batch goes out, so the doomed one holds items when it dies.
        var clock = Stopwatch.StartNew();
        while (measurer.MeasuredBy.Count < 2 && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            measurer.MeasuredBy.Clear();
            await measurer.MeasureAsync(Inputs(4 * WorkerLoop.BatchSize));
        }
        Assert.Equal(2, measurer.MeasuredBy.Count);
        measurer.MeasuredBy.Clear();

        var inputs = Inputs(240);
        var measuring = measurer.MeasureAsync(inputs);
        await Task.Delay(TimeSpan.FromSeconds(2));
        doomed.Kill();
        StartWorker(2);
        var results = await measuring;

        Assert.Equal(240, results.Count);
        Assert.All(results, r => Assert.True(r.IsValid, r.ErrorMessage));
        Assert.Equal(240, measurer.MeasuredBy.Values.Sum());
        // The killed worker's completed items, the survivor's, the newcomer's.
        Assert.True(measurer.MeasuredBy.Count == 3, string.Join(", ", measurer.MeasuredBy.Select(w => $"{w.Key}: {w.Value}")));
    }

    private static List<MeasureInput> Inputs(int count)
    {
        var task = FaultyTestTemplate.Task();
        return Enumerable.Range(0, count).Select(i => new MeasureInput(task, FaultyTestTemplate.Config(task, "ok", i % 256))).ToList();
    }
}
