using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessel.Experiments;
using Tessel.Graph.Zoo;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Bench;

/// <summary>Anytime curves (docs/SELECTIVE.md, "Anytime curves"): for each model and seed, every run a process of its own
/// (`tessel tune`, as a user runs it: equally cold, its wall clock from the process's start to its exit). Full tuning
/// (the model tuner, the gradient scheduler, trials per task x tasks, seed S) runs once; its log is cut at moments of its
/// wall clock (a log is written as trials are measured, so a cut is what a run stopped then would have left). Selective
/// tuning (the default scheme, same tuner and seed) runs once under each budget, a fraction of full tuning's wall clock,
/// since a budget changes what it tunes first. Every cut and run, and the untuned model, are then timed side by side
/// (<see cref="ModelLatencies"/>): where full tuning's log is cut at each selective run's own wall clock, the two are
/// compared at the same time spent. The runs leave their logs and runs.json in artifacts/bench/anytime/MODEL-sSEED, so
/// that <c>--retime</c> can time the model again on a quiet machine (two pipelines tuning side by side make timing noisy).</summary>
public static class AnytimeSuite
{
    public static readonly string[] DefaultModels = ["squeezenet1.1", "resnet18_v1", "mobilenet0.5"];

    /// <summary>The selective runs' budgets, as fractions of full tuning's wall clock.</summary>
    public static readonly double[] Budgets = [0.1, 0.15, 0.25, 0.5, 1.0];

    /// <summary>Cuts of full tuning's log beyond those at the selective runs' wall clocks, for the curve's shape and the time to match.</summary>
    private static readonly double[] MoreCuts = [0.05, 0.35, 0.75];

    /// <summary>Compilations of each log's fastest plan, and rounds of timing: fewer compilations than a two-log comparison's, as
    /// there are about fifteen logs a model.</summary>
    private const int Compilations = 2, Rounds = 7;

    /// <summary>What the tuning runs of one model and seed left (runs.json beside their logs): full tuning's start (unix seconds,
    /// as logs keep time) and wall clock, and each selective run's budget and wall clock.</summary>
    private sealed record TunedRuns(double FullStart, double FullWallSeconds, IReadOnlyList<BudgetedTuning> Selective);

    private sealed record BudgetedTuning(double Fraction, double BudgetSeconds, double WallSeconds);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="cli">Tessel.Cli.dll, whose <c>tune</c> runs each side</param>
    /// <param name="retime">time the model again with the logs of earlier runs (on a quieter machine, say) instead of tuning</param>
    public static async Task<(string Report, IReadOnlyList<AnytimeRun> Runs)> RunAsync(
        string cli, string? only, IReadOnlyList<int> seeds, int trials, int threads, bool retime, TextWriter progress, CancellationToken ct = default)
    {
        var models = only is null ? [.. DefaultModels] : NameFilter.Apply(only, ModelZoo.Names, n => n);
        if (models.Count == 0) throw new ArgumentException($"no zoo model matches '{only}' (models: {string.Join(", ", ModelZoo.Names)})");
        var runs = new List<AnytimeRun>();
        foreach (var seed in seeds)
            foreach (var model in models)
            {
                var dir = Path.Combine("artifacts", "bench", "anytime", $"{model}-s{seed}");
                if (!retime) await TuneAsync(cli, dir, model, seed, trials, threads, progress, ct);
                else if (!File.Exists(Path.Combine(dir, "runs.json"))) throw new ArgumentException($"no earlier run of {model}, seed {seed} to time again in {dir}");
                runs.Add(Time(dir, model, seed, threads, progress));
            }
        return (Report(runs, trials, threads), runs);
    }

    private static async Task TuneAsync(string cli, string dir, string model, int seed, int trials, int threads, TextWriter progress, CancellationToken ct)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, true); // a resumed log would carry an earlier run's clock
        Directory.CreateDirectory(dir);
        string[] common = ["tune", $"zoo:{model}", "--threads", $"{threads}", "--seed", $"{seed}"];
        progress.WriteLine($"[{model} s{seed}] full tuning: model tuner, gradient scheduler, {trials} trials a task...");
        var (fullStart, fullWall) = await RunTesselAsync(cli, [.. common, "--strategy", "gradient", "--trials", $"{trials}", "--log", FullLog(dir)], dir, "full", ct);
        progress.WriteLine($"[{model} s{seed}] full tuning: {RecordReader.Read(FullLog(dir)).Count(r => !r.Remeasured)} trials in {fullWall:F1} s");
        var selective = new List<BudgetedTuning>();
        foreach (var fraction in Budgets)
        {
            var budget = Math.Max(1, Math.Round(fraction * fullWall));
            var log = SelectiveLog(dir, fraction);
            var (_, wall) = await RunTesselAsync(cli, [.. common, "--selective", "--time-budget", $"{budget}s", "--log", log], dir, $"selective-{fraction}", ct);
            progress.WriteLine($"[{model} s{seed}] selective tuning, budget {budget} s ({fraction:P0}): {RecordReader.Read(log).Count(r => !r.Remeasured)} trials in {wall:F1} s");
            selective.Add(new(fraction, budget, wall));
        }
        File.WriteAllText(Path.Combine(dir, "runs.json"), JsonSerializer.Serialize(new TunedRuns(fullStart, fullWall, selective), Json));
    }

    private static string FullLog(string dir) => Path.Combine(dir, "full.jsonl");

    private static string SelectiveLog(string dir, double fraction) => Path.Combine(dir, $"selective-{fraction.ToString(CultureInfo.InvariantCulture)}.jsonl");

    /// <summary>Times the model with every cut of full tuning's log, every selective run's log and none (untuned), side by side.</summary>
    private static AnytimeRun Time(string dir, string model, int seed, int threads, TextWriter progress)
    {
        var tuned = JsonSerializer.Deserialize<TunedRuns>(File.ReadAllText(Path.Combine(dir, "runs.json")), Json)
            ?? throw new InvalidDataException($"{dir}/runs.json is empty");
        var graph = ModelZoo.Build(model);
        var tasks = TaskExtraction.Extract(graph, Target.Host).Select(t => t.Task).ToList();
        var full = ModelRecords.Of(RecordReader.Read(FullLog(dir)), tasks);
        var fullWall = tuned.FullWallSeconds;
        var cuts = tuned.Selective.Select(s => s.WallSeconds).Concat(MoreCuts.Select(f => f * fullWall)).Where(s => s < fullWall).Append(fullWall).Distinct().Order().ToList();
        var selectiveLogs = tuned.Selective.Select(s => ModelRecords.Of(RecordReader.Read(SelectiveLog(dir, s.Fraction)), tasks)).ToList();
        IReadOnlyList<IReadOnlyList<TuningRecord>> logs = [[], .. cuts.Select(c => AnytimeCurve.Prefix(full, tuned.FullStart, c)), .. selectiveLogs];
        progress.WriteLine($"[{model} s{seed}] timing the model with {logs.Count} logs (untuned, {cuts.Count} cuts of full tuning's, {selectiveLogs.Count} selective runs)...");
        var ms = ModelLatencies.Measure(graph, logs, threads, Target.Host, Compilations, Rounds).Select(l => l.Average()).ToArray();
        var curve = new AnytimeCurve([.. cuts.Select((c, i) => new AnytimePoint(c, ms[1 + i]))]);
        var budgeted = tuned.Selective.Select((s, i) =>
            new BudgetedRun(s.Fraction, s.BudgetSeconds, s.WallSeconds, selectiveLogs[i].Count(r => !r.Remeasured), ms[1 + cuts.Count + i])).ToList();
        var run = new AnytimeRun(model, seed, tasks.Count, fullWall, full.Count(r => !r.Remeasured), ms[0], curve, budgeted);
        File.WriteAllText(Path.Combine(dir, "result.json"), run.ToJson().ToJsonString());
        foreach (var b in budgeted)
            progress.WriteLine($"[{model} s{seed}] at {b.WallSeconds:F0} s ({b.Fraction:P0}): selective {b.LatencyMs:F3} ms, full cut there {run.FullMsAt(b):F3} ms");
        return run;
    }

    /// <summary>Runs <c>tessel</c> with <paramref name="args"/> in a process of its own; its start (unix seconds, as logs keep
    /// time) and wall clock to its exit. Its output goes to files in <paramref name="dir"/>.</summary>
    private static async Task<(double Start, double Wall)> RunTesselAsync(string cli, string[] args, string dir, string name, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["exec", cli, .. args]) start.ArgumentList.Add(a);
        var epoch = MeasureResult.Now();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start dotnet exec {cli}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var wall = clock.Elapsed.TotalSeconds;
        await File.WriteAllTextAsync(Path.Combine(dir, name + ".out"), await stdout + await stderr, ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"tessel {string.Join(' ', args)} exited {process.ExitCode}: {(await stderr).Trim().Split('\n')[^1]}");
        return (epoch, wall);
    }

    private static string Report(IReadOnlyList<AnytimeRun> runs, int trials, int threads)
    {
        var lines = new List<string>
        {
            $"Full tuning: the model tuner, the gradient scheduler, {trials} trials a task x tasks, seed S, {threads} thread(s), bests re-measured, " +
                "shipped records leading each task's first batch. Selective: the default scheme under each budget (a fraction of full tuning's wall clock), " +
                "same tuner, seed and threads. Each run a `tessel tune` process of its own; wall clock from its start to its exit. Latencies: ms, each log's " +
                $"fastest plan compiled {Compilations} times, all logs of a model and seed timed in alternation ({Rounds} rounds).",
            "",
            "| model | seed | budget (of full's wall clock) | selective wall s | selective trials | selective ms | full cut at that wall clock, ms | selective vs full cut | " +
                "vs full's end (achieved perf) | share of full's speed-up over untuned | full's time to match / selective's |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        };
        foreach (var r in runs)
            foreach (var b in r.Selective)
            {
                var match = r.Full.TimeToReach(b.LatencyMs);
                lines.Add($"| {r.Model} | {r.Seed} | {Stats.F(100 * b.Fraction, 0)}% of {Stats.F(r.FullWallSeconds, 0)} s | {Stats.F(b.WallSeconds)} | {b.Trials} of {r.FullTrials} | " +
                    $"{Stats.F(b.LatencyMs, 3)} | {Stats.F(r.FullMsAt(b), 3)} | {Stats.F(100 * r.FullMsAt(b) / b.LatencyMs, 1)}% | {Stats.F(100 * r.FullMs / b.LatencyMs, 1)}% | " +
                    $"{Stats.F(100 * AnytimeCurve.ShareOfSpeedup(r.UntunedMs, r.FullMs, b.LatencyMs), 1)}% | " +
                    $"{(match is { } m ? Stats.F(m / b.WallSeconds, 2) : $"> {Stats.F(r.FullWallSeconds / b.WallSeconds, 2)} (never)")} |");
            }
        lines.Add("");
        lines.Add("Full tuning's curve (its log cut at moments of its wall clock; ms):");
        lines.Add("");
        lines.Add("| model | seed | untuned ms | cut at s: ms |");
        lines.Add("|---|---|---|---|");
        foreach (var r in runs)
            lines.Add($"| {r.Model} | {r.Seed} | {Stats.F(r.UntunedMs, 3)} | {string.Join(", ", r.Full.Points.Select(p => $"{Stats.F(p.Seconds, 0)} s: {Stats.F(p.LatencyMs, 3)}"))} |");
        lines.Add("");
        foreach (var fraction in Budgets)
        {
            var at = runs.Select(r => (r, b: r.Selective.Single(b => b.Fraction == fraction))).ToList();
            lines.Add($"Budget {Stats.F(100 * fraction, 0)}%: selective vs full's log cut at the same wall clock, mean {Stats.F(100 * at.Average(x => x.r.FullMsAt(x.b) / x.b.LatencyMs), 1)}% " +
                $"(lowest {Stats.F(100 * at.Min(x => x.r.FullMsAt(x.b) / x.b.LatencyMs), 1)}%, at or faster in {at.Count(x => x.b.LatencyMs <= x.r.FullMsAt(x.b))} of {at.Count}); " +
                $"vs full tuning's end, mean {Stats.F(100 * at.Average(x => x.r.FullMs / x.b.LatencyMs), 1)}% (lowest {Stats.F(100 * at.Min(x => x.r.FullMs / x.b.LatencyMs), 1)}%).");
        }
        return string.Join("\n", lines) + "\n";
    }
}
