using System.Diagnostics;
using Tessel.Cluster;
using Tessel.IntegrationTests.Cli;

namespace Tessel.IntegrationTests.Cluster;

/// <summary>A tuner measuring on a cluster stops on SIGTERM or SIGINT as a local one does, its records kept. Before, the
/// cluster client's host took both signals: the tuner went on, with its client stopped under it, until kill -9.</summary>
[Collection(SerialCollection.Name)]
public sealed class TunerSignalTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessel-tuner-signal-").FullName;
    private readonly ClusterAddress address = ClusterAddress.Parse($"localhost/tuner-signal-{Guid.NewGuid():N}");
    private Process? tuner;

    public void Dispose()
    {
        if (tuner is { HasExited: false }) tuner.Kill(entireProcessTree: true);
        tuner?.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Theory]
    [InlineData(Signals.SigTerm)]
    [InlineData(Signals.SigInt)]
    public async Task A_tuner_on_a_cluster_stops_within_10_s_of_the_signal_and_keeps_its_records(int signal)
    {
        using var worker = ClusterHosts.Worker(address, 0, Tessel.Workloads.Target.Host.Text, () => new StandInWorkRunner(TimeSpan.FromMilliseconds(50)));
        await worker.StartAsync();
        try
        {
            var log = Path.Combine(directory, "cluster.jsonl");
            tuner = CliRunner.StartWithDefaultSignals(directory, "tune-op", "dense", "--data", "1,64", "--kernel", "64,64", "--tuner", "random",
                "--trials", "2000", "--cluster", address.ToString(), "--log", log);
            tuner.OutputDataReceived += (_, _) => { };
            tuner.ErrorDataReceived += (_, _) => { };
            tuner.BeginOutputReadLine();
            tuner.BeginErrorReadLine();
            var clock = Stopwatch.StartNew();
            while (!File.Exists(log) || new FileInfo(log).Length == 0)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "no record within 60 s");
                await Task.Delay(100);
            }

            Signals.Send(tuner.Id, signal);
            using (var within = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            {
                try { await tuner.WaitForExitAsync(within.Token); }
                catch (OperationCanceledException) { Assert.Fail($"signal {signal}: the tuner still runs 10 s later"); }
            }
            Assert.NotEmpty(File.ReadAllLines(log));
        }
        finally { await worker.StopAsync(); }
    }
}
