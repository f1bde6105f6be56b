using System.CommandLine;
using Tessel.Bench;
using Tessel.Cli.Terminal;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel bench kernels</c>: the kernel benchmark of bench/ (naive kernel, Tessel tuned, ONNX
/// Runtime, FMA peak, side by side in one run), printed as markdown.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var suite = new Argument<string>("suite") { Description = "Benchmark suite", DefaultValueFactory = _ => "kernels" };
        suite.AcceptOnlyFromAmong("kernels");
        var trials = new Option<int>("--trials") { Description = "Genetic-search trials per layer and thread count", DefaultValueFactory = _ => 200 };
        trials.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError($"--trials must be >= 1, got {r.GetValueOrDefault<int>()}"); });
        var only = new Option<string?>("--only") { Description = "Run only the layers whose name contains this text" };
        var output = new Option<string?>("--out") { Description = "Also write the report to this file" };
        var command = new Command("bench", "Benchmark tuned kernels against the naive kernel, ONNX Runtime and the FMA peak (takes minutes)")
        {
            suite, trials, only, output,
        };
        command.SetAction(async (parsed, ct) =>
        {
            string report;
            try { report = await KernelSuite.RunAsync(parsed.GetValue(trials), parsed.GetValue(only), Console.Error, ct); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            Console.Out.WriteLine(report);
            if (parsed.GetValue(output) is { } path) File.WriteAllText(path, report);
            return ExitCodes.Ok;
        });
        return command;
    }
}
