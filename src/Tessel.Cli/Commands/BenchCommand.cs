using System.CommandLine;
using Tessel.Bench;
using Tessel.Tuners;
using Tessel.Tuning;
using Tessel.Cli.Reports.Charts;
using Tessel.Cli.Terminal;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel bench kernels|selective|anytime|trials|models|tuners|scheduler|fuzz|deploy</c>: the benchmarks of bench/, printed as markdown — kernels
/// (naive, Tessel tuned, ONNX Runtime, FMA peak, side by side), the RFC's full-vs-selective experiment, its anytime curves (latency against wall clock), where a trial's time goes, or
/// whole models end to end (default configs, tuned, ONNX Runtime; 1 and 2 threads), or models no one tuned here (default configs
/// only, the zero-trial start from shipped records, ONNX Runtime), or the untuned steps of those models against ONNX Runtime's
/// own per-node times (plain-ops), or the search strategies'
/// trials to a good config (random, GA, model-based, with transfer), or two task schedulers on one budget, or damaged ONNX files and logs fed to import
/// and log reading, or a tuned model deployed (start to first result, latency, memory and size against ONNX Runtime).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var suite = new Argument<string>("suite") { Description = "Benchmark suite", DefaultValueFactory = _ => "kernels" };
        suite.AcceptOnlyFromAmong("kernels", "selective", "anytime", "trials", "models", "zero-trial", "plain-ops", "tuners", "scheduler", "fuzz", "deploy");
        var trials = new Option<int?>("--trials") { Description = "kernels: GA trials per layer and thread count (default 200); selective: trials per task (full) and per representative (200); " +
            "anytime: trials per task of full tuning (30); trials: trials per task (32); models: trials per task (32); " +
            "deploy: trials per task (16); tuners: the cap on trials per run (300); scheduler: trials per task on average (24); " +
            "fuzz: damaged files fed to ONNX import and log reading (10000)" };
        var tuner = new Option<string>("--tuner") { Description = "selective: the tuner of full tuning and of the representatives (" + string.Join("|", TunerRegistry.Names) + ")",
            DefaultValueFactory = _ => "model" };
        tuner.AcceptOnlyFromAmong([.. TunerRegistry.Names]);
        var scheme = new Option<string>("--scheme") { Description = "selective: the scheme (tessel, the measured best; rfc, the RFC's); the flags below override it",
            DefaultValueFactory = _ => SelectiveScheme.Default.Name };
        scheme.AcceptOnlyFromAmong([.. SelectiveScheme.Names]);
        var dependMode = DependModeOption.Create("--depend-mode", "selective: shared schedules per dependent task (default: the scheme's)", null);
        var sharePool = DependModeOption.SharePool();
        var refine = RefineOption.Create();
        var threads = new Option<int>("--threads") { Description = "selective, anytime, tuners: threads for tuning and model runs (trials: 2 unless given)", DefaultValueFactory = _ => 1 };
        var retime = new Option<bool>("--retime") { Description = "anytime: time the model again with the logs the last run left, tuning nothing (on a quiet machine)" };
        var seeds = new Option<string>("--seeds") { Description = "anytime, tuners: tuning seeds, comma-separated", DefaultValueFactory = _ => "1,2,3" };
        trials.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError($"--trials must be >= 1, got {r.GetValueOrDefault<int?>()}"); });
        var threshold = new Option<double?>("--min-similarity") { Description = "selective: similarity threshold of the task graph (default: the scheme's)" };
        var split = new Option<string>("--split") { Description = "selective: split spaces as the templates define them (all) or factor-only, AutoTVM's style (factors)", DefaultValueFactory = _
            => "all" };
        split.AcceptOnlyFromAmong("all", "factors");
        var plot = new Option<string?>("--plot") { Description = "selective: also draw the table as a chart (PNG); anytime: draw each model's curves to PLOT-MODEL.png" };
        var only = new Option<string?>("--only") { Description = "Run only the layers (models) whose name contains this text (or any of several, comma-separated)" };
        var output = new Option<string?>("--out") { Description = "Also write the report to this file" };
        var command = new Command("bench",
            "Benchmarks: kernels vs the naive kernel, ONNX Runtime and the FMA peak; full vs selective tuning of the zoo; whole models vs ONNX Runtime " +
            "(tuned, or zero-trial from shipped records); trials each tuner needs (takes minutes)")
        {
            suite, trials, only, output, tuner, scheme, dependMode, sharePool, refine, threads, seeds, retime, threshold, split, plot,
        };
        command.SetAction(async (parsed, ct) =>
        {
            string report;
            try
            {
                report = parsed.GetValue(suite) switch
                {
                    "selective" => await RunSelective(SelectiveBenchRun.Of(SelectiveScheme.Parse(parsed.GetValue(scheme)!), parsed.GetValue(trials) ?? 200,
                        parsed.GetValue(tuner)!, parsed.GetValue(threads), parsed.GetValue(split) == "factors", parsed.GetValue(dependMode), parsed.GetValue(sharePool),
                        parsed.GetValue(refine), parsed.GetValue(threshold)),
                        parsed.GetValue(only), parsed.GetValue(plot), ct),
                    "anytime" => await RunAnytime(parsed.GetValue(only), IntListParser.Parse("--seeds", parsed.GetValue(seeds)), parsed.GetValue(trials) ?? 30,
                        parsed.GetValue(threads), parsed.GetValue(retime), parsed.GetValue(plot), ct),
                    "trials" => await TrialTimeSuite.RunAsync(parsed.GetValue(only) ?? "resnet50_v1", parsed.GetValue(trials) ?? 32,
                        parsed.GetResult(threads) is null or { Implicit: true } ? 2 : parsed.GetValue(threads), Consoles.PlainError, ct),
                    "deploy" => await DeploySuite.RunAsync(parsed.GetValue(trials) ?? 16, parsed.GetValue(only), Consoles.PlainError, ct),
                    "models" => await ModelSuite.RunAsync(parsed.GetValue(trials) ?? 32, parsed.GetValue(only), Consoles.PlainError, ct),
                    "zero-trial" => await ZeroTrialSuite.RunAsync(parsed.GetValue(only), Consoles.PlainError, ct),
                    "plain-ops" => await PlainOpSuite.RunAsync(parsed.GetValue(only), Consoles.PlainError, ct),
                    "tuners" => await TunerSuite.RunAsync(1000, parsed.GetValue(trials) ?? 300, IntListParser.Parse("--seeds", parsed.GetValue(seeds)), parsed.GetValue(threads),
                        parsed.GetValue(only), Consoles.PlainError, ct),
                    "fuzz" => Tessel.Bench.Fuzz.FuzzSuite.Report(parsed.GetValue(trials) ?? 10_000, Tessel.Bench.BenchData.Models,
                        Tessel.Bench.BenchData.AutotvmLog, Consoles.PlainError),
                    "scheduler" => await SchedulerSuite.RunAsync(parsed.GetValue(only) ?? "resnet50_v1", parsed.GetValue(trials) ?? 24, Consoles.PlainError, ct),
                    _ => await KernelSuite.RunAsync(parsed.GetValue(trials) ?? 200, parsed.GetValue(only), Consoles.PlainError, ct),
                };
            }
            catch (FormatException e) { throw new UsageException(e.Message); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            Consoles.PlainOut.WriteLine(report);
            if (parsed.GetValue(output) is { } path) File.WriteAllText(path, report);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The anytime curves; each run is this command's own <c>tune</c>, in a process of its own.</summary>
    private static async Task<string> RunAnytime(string? only, int[] seeds, int trials, int threads, bool retime, string? plot, CancellationToken ct)
    {
        var (report, runs) = await AnytimeSuite.RunAsync(typeof(BenchCommand).Assembly.Location, only, seeds, trials, threads, retime, Consoles.PlainError, ct);
        if (plot is not null)
            foreach (var model in runs.GroupBy(r => r.Model))
                AnytimeChart.Create([.. model]).SavePng($"{plot}-{model.Key}.png", 900, 560);
        return report;
    }

    private static async Task<string> RunSelective(SelectiveBenchRun run, string? only, string? plot, CancellationToken ct)
    {
        var (report, rows) = await SelectiveSuite.RunAsync(run, only, Consoles.PlainError, ct);
        if (plot is not null && rows.Count > 0)
            SelectivePlot.Save(rows, run.Title, plot);
        return report;
    }
}
