using System.Collections.Concurrent;
using System.Diagnostics;
using Tessel.Cluster;
using Tessel.IntegrationTests.Cli;
using Tessel.Measure;
using Tessel.Tests.Support;

namespace Tessel.IntegrationTests.Cluster;

/// <summary><c>tessel worker</c> as a service manager runs it: SIGTERM or SIGINT while it holds a batch it cannot finish
/// in time (stand-in items of 5 s each) stops it within 10 s, with exit code 0. Before, it ignored both.</summary>
[Collection(SerialCollection.Name)]
public sealed class WorkerSignalTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessel-signal-").FullName;
    private readonly ClusterAddress address = ClusterAddress.Parse($"localhost/signal-{Guid.NewGuid():N}");
    private readonly ConcurrentQueue<string> stderr = new();
    private Process? worker;

    public void Dispose()
    {
        if (worker is { HasExited: false }) worker.Kill(entireProcessTree: true);
        worker?.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Theory]
    [InlineData(Signals.SigTerm)]
    [InlineData(Signals.SigInt)]
    public async Task A_busy_worker_stops_within_10_s_of_the_signal_with_exit_code_0(int signal)
    {
        worker = await StartWorkerAsync();
        await using var measurer = await ClusterMeasurer.ConnectAsync(address, MeasurerFixture.Options, TimeSpan.FromSeconds(30));
        var task = FaultyTestTemplate.Task();
        var inputs = Enumerable.Range(0, WorkerLoop.BatchSize).Select(i => new MeasureInput(task, FaultyTestTemplate.Config(task, "ok", i))).ToList();
        var measuring = measurer.MeasureAsync(inputs);
        // The worker takes the batch as it arrives: 40 s of work in hand when the signal comes.
        await Task.Delay(TimeSpan.FromSeconds(2));

        Signals.Send(worker.Id, signal);
        using (var within = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try { await worker.WaitForExitAsync(within.Token); }
            catch (OperationCanceledException) { Assert.Fail($"signal {signal}: still running 10 s later; its stderr:\n{string.Join('\n', stderr)}"); }
        }
        Assert.True(worker.ExitCode == 0, $"signal {signal}: exit code {worker.ExitCode}; its stderr:\n{string.Join('\n', stderr)}");
        // Stopped, not finished: the batch in hand was abandoned (the tuner waits for it, or has lost its only gateway).
        Assert.False(measuring.IsCompletedSuccessfully);
    }

    private async Task<Process> StartWorkerAsync()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = CliRunner.StartWithDefaultSignals(directory, "worker", "--cluster", address.ToString(), "--stand-in-ms", "5000");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            stderr.Enqueue(line);
            if (line.Contains("on the cluster", StringComparison.Ordinal)) started.TrySetResult();
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return process;
    }
}
