using Tessel.Tuning;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Tuners.Model;

namespace Tessel.Bench;

/// <summary>How good a config each search strategy finds within a budget of trials (issues 7 and 30): on
/// seven conv tasks, 1,000 random trials fix a reference best; each tuner then runs to the cap with every
/// seed, from scratch and — for the model-based tuner — warm-started with the other tasks' reference records
/// (transfer). The report gives the best found at each budget as a share of the reference (median over
/// seeds) and the trials each run needed to reach 95% of it. Default configs are not measured here, so
/// the figures are the strategies' own. All measurement is real.</summary>
public static class TunerSuite
{
    public static readonly string[] TaskNames =
    [
        "resnet50 3x3 64->64@56", "resnet50 3x3 128->128@28", "resnet50 winograd 3x3 128->128@28", "resnet50 3x3 256->256@14",
        "resnet50 1x1 64->256@56", "resnet50 1x1 1024->256@14", "mobilenetv2 1x1 144->24@56",
    ];

    private static readonly string[] Tuners = ["random", "ga", "model", "model+transfer"];

    private static readonly int[] Budgets = [50, 100, 200, 300, 500];

    /// <summary>One tuner's run on one task: the best GFLOP/s after each trial.</summary>
    public sealed record Run(string Layer, string Tuner, int Seed, int Threads, double[] Best, double ModelSeconds, double Seconds)
    {
        public double BestAt(int trials) => Best.Length == 0 ? 0 : Best[Math.Min(trials, Best.Length) - 1];

        public int? TrialsTo(double gflops) => Array.FindIndex(Best, b => b >= gflops) is var i and >= 0 ? i + 1 : null;
    }

    public static async Task<string> RunAsync(int referenceTrials, int cap, IReadOnlyList<int> seeds, int threads, string? only, TextWriter progress,
        CancellationToken ct = default)
    {
        var dir = Path.Combine("artifacts", "bench", "tuners");
        Directory.CreateDirectory(dir);
        var all = Layers.Kernels.Concat(Layers.Winograd).ToList();
        var layers = TaskNames.Select(n => all.First(l => l.Name == n)).ToList();
        var measureOptions = new MeasureOptions { Threads = threads };
        await using var measurer = new LocalMeasurer(measureOptions);

        // References first: every task's random trials (resumed from their logs), also the transfer source.
        var references = new Dictionary<string, (string Log, double Best)>();
        foreach (var layer in layers)
        {
            var log = Path.Combine(dir, $"{Slug(layer.Name)}-random{referenceTrials}-{threads}t.jsonl");
            var result = await TaskTuning.RunAsync(layer.Task, new RandomTuner(layer.Task.Space, 1000), measurer,
                new TuneOptions { Trials = referenceTrials, StartWithDefault = false, Measure = measureOptions }, new LogFile(log), cancellationToken: ct);
            references[layer.Name] = (log, result.BestGflops);
            progress.WriteLine($"[{layer.Name}] reference: best of {result.Trials} random trials {result.BestGflops:F1} GFLOP/s");
        }

        // Runs already made with this cap and thread count are kept (a long suite can be resumed).
        var runsFile = Path.Combine(dir, $"runs-{threads}t.jsonl");
        var done = File.Exists(runsFile)
            ? File.ReadLines(runsFile).Select(l => JsonSerializer.Deserialize<Run>(l)!).Where(r => r.Best.Length >= cap).ToList()
            : [];
        var rows = new List<(string Layer, double Reference, List<Run> Runs)>();
        foreach (var layer in NameFilter.Apply(only, layers, l => l.Name))
        {
            var runs = new List<Run>();
            foreach (var tuner in Tuners)
            foreach (var seed in seeds)
            {
                var run = done.FirstOrDefault(r => r.Layer == layer.Name && r.Tuner == tuner && r.Seed == seed);
                if (run is null)
                {
                    run = await RunOnceAsync(layer, tuner, seed, cap, measurer, measureOptions,
                        tuner.EndsWith("+transfer") ? History(references, layer.Name) : [], ct);
                    File.AppendAllLines(runsFile, [JsonSerializer.Serialize(run)]);
                }
                progress.WriteLine($"[{layer.Name}] {tuner} seed {seed}: best at " +
                    string.Join(", ", Budgets.Where(b => b <= cap).Select(b => $"{b}: {run.BestAt(b):F1}")) + $" GFLOP/s; model {run.ModelSeconds:F1} s of {run.Seconds:F1} s");
                runs.Add(run);
            }
            rows.Add((layer.Name, references[layer.Name].Best, runs));
        }
        return Markdown(rows, referenceTrials, cap, seeds, threads);
    }

    private static List<TuningRecord> History(Dictionary<string, (string Log, double Best)> references, string except) =>
        references.Where(r => r.Key != except).SelectMany(r => RecordReader.Read(r.Value.Log)).ToList();

    private static async Task<Run> RunOnceAsync(BenchLayer layer, string tunerName, int seed, int cap,
        IMeasurer measurer, MeasureOptions measureOptions, IReadOnlyList<TuningRecord> history, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var task = layer.Task;
        var tuner = tunerName.StartsWith("model") ? new ModelBasedTuner(task, seed) : TunerRegistry.Create(tunerName, task, seed);
        tuner.LoadHistory(history);
        var curve = new BestCurve(task.Flops);
        await tuner.TuneAsync(task, measurer, new TuneOptions { Trials = cap, StartWithDefault = false, Measure = measureOptions }, [curve], ct);
        var modelSeconds = tuner is ModelBasedTuner model ? model.ModelTime.TotalSeconds : 0;
        return new Run(layer.Name, tunerName, seed, measureOptions.Threads, [.. curve.Best], modelSeconds, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The best GFLOP/s after each trial (an invalid trial keeps the best before it).</summary>
    private sealed class BestCurve(long flops) : ITuneCallback
    {
        public List<double> Best { get; } = [];

        public void OnTrial(TuningTask task, MeasureInput input, MeasureResult result)
        {
            var last = Best.Count == 0 ? 0 : Best[^1];
            Best.Add(result.IsValid ? Math.Max(last, flops / result.MeanCost / 1e9) : last);
        }
    }

    private static string Markdown(List<(string Layer, double Reference, List<Run> Runs)> rows, int referenceTrials, int cap, IReadOnlyList<int> seeds, int threads)
    {
        var budgets = Budgets.Where(b => b <= cap).ToList();
        var seedText = string.Join(", ", seeds);
        double Share(List<Run> runs, string tuner, int budget, double reference) =>
            Stats.Median(runs.Where(r => r.Tuner == tuner).Select(r => 100 * r.BestAt(budget) / reference));

        var b = new StringBuilder();
        b.AppendLine($"{threads} thread(s) per kernel. Best config found within N trials, % of the best of {referenceTrials} random trials " +
            $"(median over seeds {seedText}; in brackets the lowest and highest seed); last column: the model tuner's median against the better of random's and GA's:");
        b.AppendLine();
        b.AppendLine("| task | trials | " + string.Join(" | ", Tuners) + " | model / best of random, ga |");
        b.AppendLine("|---|---|" + string.Concat(Tuners.Select(_ => "---|")) + "---|");
        foreach (var (layer, reference, runs) in rows)
        foreach (var budget in budgets)
        {
            var cells = Tuners.Select(t =>
            {
                var shares = runs.Where(r => r.Tuner == t).Select(r => 100 * r.BestAt(budget) / reference).ToList();
                return $"{Stats.F(Stats.Median(shares))} ({Stats.F(shares.Min())}-{Stats.F(shares.Max())})";
            });
            var versus = Share(runs, "model", budget, reference) / Math.Max(Share(runs, "random", budget, reference), Share(runs, "ga", budget, reference));
            b.AppendLine($"| {layer} ({Stats.F(reference)} GFLOP/s) | {budget} | {string.Join(" | ", cells)} | {(versus < 1 ? "**" + Stats.F(versus, 3) + "**" : Stats.F(versus, 3))} |");
        }
        b.AppendLine();
        b.AppendLine("Over all tasks, by budget: geometric mean of the per-task medians (% of reference), and the tasks where the model tuner's median is at least " +
            "random's and GA's, and at least 98% of them (a trial's repeats differ by about 1-2% on this kind of host):");
        b.AppendLine();
        b.AppendLine("| trials | " + string.Join(" | ", Tuners) + " | model >= random and GA | model >= 98% of random and GA |");
        b.AppendLine("|---|" + string.Concat(Tuners.Select(_ => "---|")) + "---|---|");
        foreach (var budget in budgets)
        {
            var means = Tuners.Select(t => Stats.F(Math.Exp(rows.Average(r => Math.Log(Share(r.Runs, t, budget, r.Reference))))));
            var ratios = rows.Select(r => Share(r.Runs, "model", budget, r.Reference) / Math.Max(Share(r.Runs, "random", budget, r.Reference), Share(r.Runs, "ga", budget, r.Reference)))
                .ToList();
            b.AppendLine($"| {budget} | {string.Join(" | ", means)} | {ratios.Count(x => x >= 1)}/{rows.Count} | {ratios.Count(x => x >= 0.98)}/{rows.Count} |");
        }
        b.AppendLine();
        b.AppendLine($"Trials to reach 95% of the reference (seeds {seedText}; median in bold; >{cap}: not reached within {cap}):");
        b.AppendLine();
        b.AppendLine("| task | " + string.Join(" | ", Tuners) + " |");
        b.AppendLine("|---|" + string.Concat(Tuners.Select(_ => "---|")));
        foreach (var (layer, reference, runs) in rows)
        {
            var cells = Tuners.Select(t =>
            {
                var reached = runs.Where(r => r.Tuner == t).Select(r => r.TrialsTo(0.95 * reference)).ToList();
                var median = Stats.Median(reached.Select(n => (double)(n ?? cap + 1)));
                return $"{string.Join(" / ", reached.Select(n => n?.ToString() ?? $">{cap}"))} (**{(median > cap ? $">{cap}" : Stats.F(median, 0))}**)";
            });
            b.AppendLine($"| {layer} | {string.Join(" | ", cells)} |");
        }
        b.AppendLine();
        b.AppendLine("| tuner | median trials over all runs | runs reaching the target | model time / measuring time |");
        b.AppendLine("|---|---|---|---|");
        foreach (var t in Tuners)
        {
            var all = rows.SelectMany(r => r.Runs.Where(x => x.Tuner == t).Select(x => x.TrialsTo(0.95 * r.Reference))).ToList();
            var median = Stats.Median(all.Select(n => (double)(n ?? cap + 1)));
            var runs = rows.SelectMany(r => r.Runs).Where(r => r.Tuner == t).ToList();
            var model = runs.Sum(r => r.ModelSeconds);
            var measuring = runs.Sum(r => r.Seconds) - model;
            b.AppendLine($"| {t} | {(median > cap ? $">{cap}" : Stats.F(median, 0))} | {all.Count(n => n is not null)}/{all.Count} | " +
                $"{(model > 0 ? Stats.F(100 * model / measuring) + "%" : "-")} |");
        }
        return b.ToString();
    }

    private static string Slug(string name) => new(name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
