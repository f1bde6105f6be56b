using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Spectre.Console;
using Tessel.Cli.Terminal;
using Tessel.Cluster;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel worker --cluster localhost[/NAME]|redis://HOST:PORT[/NAME]</c>: a silo that builds and runs kernels for its own
/// CPU, for any tuner started with the same <c>--cluster</c>; it runs until stopped.</summary>
public static class WorkerCommand
{
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
        var command = new Command("worker", "Serve kernel builds and measurements for this CPU to the tuners of one cluster (Orleans)") { cluster, index, standIn };
        command.SetAction(async (parsed, ct) =>
        {
            var address = ClusterAddress.Parse(parsed.GetValue(cluster)!);
            Func<IWorkRunner> runner = parsed.GetValue(standIn) is { } ms
                ? () => new StandInWorkRunner(TimeSpan.FromMilliseconds(ms))
                : () => new LocalWorkRunner();
            using var host = ClusterHosts.Worker(address, parsed.GetValue(index), Target.Host.Text, runner, line => Consoles.Error.WriteLine(line));
            await host.StartAsync(ct);
            Consoles.Error.WriteLine($"worker {parsed.GetValue(index)} on the cluster ({address}); stop it with Ctrl+C");
            try { await Task.Delay(Timeout.Infinite, ct); }
            catch (OperationCanceledException) { }
            await host.StopAsync(TimeSpan.FromSeconds(10));
            return ExitCodes.Ok;
        });
        return command;
    }
}
