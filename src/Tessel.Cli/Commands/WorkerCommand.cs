using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;
using Tessel.Cli.Terminal;
using Tessel.Cluster;
using Tessel.Workloads;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel worker --cluster localhost[/NAME]|redis://HOST:PORT[/NAME]</c>: a silo that builds and runs kernels for
/// its own CPU, for any tuner started with the same <c>--cluster</c>. It runs as a service: SIGTERM or SIGINT (Ctrl+C) reach
/// the Generic Host's console lifetime (not System.CommandLine's handler, see <see cref="TesselApp"/>), which stops the host
/// within <see cref="ClusterHosts.ShutdownTimeout"/>, and the command exits 0.</summary>
public static class WorkerCommand
{
    public const string Name = "worker";

    public static Command Create()
    {
        var cluster = ClusterOption.Create();
        cluster.Required = true;
        var index = new Option<int>("--index")
        {
            Description = "This worker's ports: silo and gateway port INDEX of the cluster's block (the unnamed cluster's: 11111+INDEX and 30000+INDEX; " +
                $"localhost: worker 0 is the primary; 0-{ClusterAddress.LocalWorkers - 1})",
            DefaultValueFactory = _ => 0,
        };
        index.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<int>();
            if (v is < 0 or >= ClusterAddress.LocalWorkers) r.AddError($"--index must be in 0-{ClusterAddress.LocalWorkers - 1}, got {v}");
        });
        var standIn = new Option<double?>("--stand-in-ms")
        {
            Description = "Benchmarks of the orchestration only: a stand-in runner that waits this long per item instead of measuring a kernel",
        };
        var command = new Command(Name, "Serve kernel builds and measurements for this CPU to the tuners of one cluster (Orleans). Runs until SIGTERM or " +
            $"Ctrl+C (SIGINT), then stops within {ClusterHosts.ShutdownTimeout.TotalSeconds:F0} s (an item in hand is abandoned, the queue re-sends it) " +
            "and exits 0")
        {
            cluster, index, standIn,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var address = ClusterAddress.Parse(parsed.GetValue(cluster)!);
            Func<IWorkRunner> runner = parsed.GetValue(standIn) is { } ms
                ? () => new StandInWorkRunner(TimeSpan.FromMilliseconds(ms))
                : () => new LocalWorkRunner();
            using var host = ClusterHosts.Worker(address, parsed.GetValue(index), Target.Host.Text, runner, line => Consoles.Error.WriteLine(line));
            var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            try { await host.StartAsync(ct); }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopped while it was joining: as clean a stop as any (a silo that is not running cannot be stopped, only disposed).
                return ExitCodes.Ok;
            }
            Consoles.Error.WriteLine($"worker {parsed.GetValue(index)} on the cluster ({address}); stop it with Ctrl+C or SIGTERM");
            await host.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
