using Tessel.Experiments;
using Tessel.Graph.Zoo;
using Tessel.Measure;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Tuning;
using Tessel.Workloads;

namespace Tessel.Bench;

/// <summary>The RFC's experiment on the zoo models: full vs selective tuning with the same tuner, seed and
/// per-task budget, each model run with both logs; the table in the RFC's columns beside its V100 figures.</summary>
public static class SelectiveSuite
{
    /// <summary>The RFC's own results (EC2 P3, V100, AutoTVM): time used and achieved performance.</summary>
    private static readonly Dictionary<string, (string TimeUsed, string Perf)> Rfc = new()
    {
        ["mobilenetv2_1.0"] = ("34%", "95%"), ["resnet50_v1"] = ("21%", "73%"), ["vgg19_bn"] = ("35%", "80%"),
        ["squeezenet1.1"] = ("29%", "108%"), ["densenet121"] = ("14%", "99%"),
        ["yolo3_mobilenet1.0_voc"] = ("28%", "149%"), ["ssd512_resnet50_v1_voc"] = ("34%", "189%"),
    };

    public static async Task<(string Report, IReadOnlyList<SelectiveComparison> Rows)> RunAsync(SelectiveBenchRun run, string? only, TextWriter progress,
        CancellationToken ct = default)
    {
        var (trials, tuner, threshold, factorSplits) = (run.Trials, run.Tuner, run.Threshold, run.FactorSplits);
        var models = NameFilter.Apply(only, ModelZoo.Names, n => n);
        if (models.Count == 0) throw new ArgumentException($"no zoo model matches '{only}' (models: {string.Join(", ", ModelZoo.Names)})");
        var measure = new MeasureOptions { Threads = run.Threads };
        var scheme = new ModelTuningOptions
        {
            MinSimilarity = threshold,
            Sharing = new SelectiveTuningOptions
            {
                DependMode = DependMode.Parse(run.DependMode),
                SharePool = run.SharePool is null ? null : DependMode.Parse(run.SharePool),
                Refine = run.Refine,
            },
        };
        var sharing = run.Sharing;
        var target = factorSplits ? Target.Host.WithFactorSplits() : Target.Host;
        var rows = new List<SelectiveComparison>();
        foreach (var name in models)
        {
            progress.WriteLine($"[{name}] full and selective tuning (both resumed from their logs), {trials} trials per task, {sharing}, similarity >= {threshold}, {target}...");
            var full = BenchLogs.Full(name, tuner, trials, run.Threads, factorSplits);
            var selective = BenchLogs.Selective(name, run);
            var row = await SelectiveComparison.RunAsync(ModelZoo.Build(name), scheme, measure,
                (measurer, store) => TuningSession.Named(measurer, store, new TuneOptions { Trials = trials, Measure = measure }, tuner, 1)
                    with { Cancellation = ct, Remeasure = TuningSession.DefaultRemeasure },
                full, selective, target, selectiveFirst: rows.Count % 2 == 1); // the side tuned first alternates from model to model
            progress.WriteLine($"[{name}] time used {row.TimeUsed:P0} by wall clock ({row.TimeUsedInTrialCosts:P0} in trial costs, {row.TimeUsedAtFullCost:P0} at full-log trial costs, " +
                $"trials {row.TrialsUsed:P0}), achieved perf {row.AchievedPerf:P1}; " +
                $"latency ms {Latency(row.Full)} full, {Latency(row.Selective)} selective");
            rows.Add(row);
        }
        var lines = new List<string>
        {
            "| model | tasks | representatives | full tuning s (wall / trial costs) | full latency ms (compilations' range) | selective tuning s (wall / trial costs) | " +
                "selective latency ms (compilations' range) | time used (wall) | time used (trial costs) | time used at full-log trial costs | trials used | achieved perf | " +
                "shared configs: exact / clamped / unmappable of offered | RFC time used | RFC achieved perf |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        };
        foreach (var r in rows)
        {
            var rfc = Rfc.TryGetValue(r.Model, out var f) ? f : ("-", "-");
            lines.Add($"| {r.Model} | {r.Tasks} | {r.Representatives} | {Stats.F(r.Full.WallSeconds)} / {Stats.F(r.Full.TuningSeconds)} | {Latency(r.Full)} | " +
                $"{Stats.F(r.Selective.WallSeconds)} / {Stats.F(r.Selective.TuningSeconds)} | {Latency(r.Selective)} | " +
                $"{Stats.F(100 * r.TimeUsed, 0)}% | {Stats.F(100 * r.TimeUsedInTrialCosts, 0)}% | {Stats.F(100 * r.TimeUsedAtFullCost, 0)}% | {Stats.F(100 * r.TrialsUsed, 0)}% | " +
                $"{Stats.F(100 * r.AchievedPerf, 0)}% | {Mapped(r.Mapping)} | " +
                    $"{rfc.Item1} | {rfc.Item2} |");
        }
        lines.Add("");
        lines.Add($"Mean time used {Stats.F(100 * rows.Average(r => r.TimeUsed), 0)}% by wall clock ({Stats.F(100 * rows.Average(r => r.TimeUsedInTrialCosts), 0)}% in trial costs, " +
            $"{Stats.F(100 * rows.Average(r => r.TimeUsedAtFullCost), 0)}% at full-log trial costs, " +
            $"{Stats.F(100 * rows.Average(r => r.TrialsUsed), 0)}% in trials), mean achieved perf {Stats.F(100 * rows.Average(r => r.AchievedPerf), 0)}%, " +
                  $"lowest achieved perf {Stats.F(100 * rows.Min(r => r.AchievedPerf), 0)}% ({trials} trials of the {tuner} tuner per task in full tuning and per representative, seed 1, " +
                      $"{sharing}, similarity >= {threshold}, {run.Threads} thread(s), target `{target}`).");
        return (string.Join("\n", lines) + "\n", rows);
    }

    private static string Latency(ComparisonSide side) =>
        $"{Stats.F(side.LatencyMs, 2)} ({Stats.F(side.CompilationLatenciesMs.Min(), 2)}-{Stats.F(side.CompilationLatenciesMs.Max(), 2)})";

    private static string Mapped(MappingStats? m) => m is null ? "-"
        : $"{m.Exact} / {m.Clamped} / {m.Unmappable} of {m.Offered}{(m.Picked is { } n ? $", {n} picked in {Stats.F(m.PickSeconds, 1)} s" : "")}";
}
