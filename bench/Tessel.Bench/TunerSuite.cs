using Tessel.Tuning;
using System.Diagnostics;
using System.Text;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Tuners.Model;

namespace Tessel.Bench;

/// <summary>How fast each search strategy finds a good config (issue 7's benchmark): on five conv tasks,
/// 1,000 random trials fix a reference best; each tuner then runs with three seeds until a config reaches
/// 95% of that best's GFLOP/s (or the cap), from scratch and — for the model-based tuner — warm-started
/// with the other four tasks' reference records (transfer). Default configs are not measured here, so the
/// figures are the strategies' own. All measurement is real, one thread.</summary>
public static class TunerSuite
{
    public static readonly string[] TaskNames =
    [
        "resnet50 3x3 64->64@56", "resnet50 3x3 256->256@14", "resnet50 1x1 64->256@56",
        "resnet50 1x1 1024->256@14", "mobilenetv2 1x1 144->24@56",
    ];

    private static readonly int[] Seeds = [1, 2, 3];

    public sealed record Run(string Tuner, int Seed, int? TrialsToTarget, double BestGflops, double ModelSeconds, double Seconds, int Measured);

    public static async Task<string> RunAsync(int referenceTrials, int cap, string? only, TextWriter progress, CancellationToken ct = default)
    {
        var dir = Path.Combine("artifacts", "bench", "tuners");
        Directory.CreateDirectory(dir);
        var layers = TaskNames.Select(n => Layers.Kernels.First(l => l.Name == n)).ToList();
        var measureOptions = new MeasureOptions { Threads = 1 };
        await using var measurer = new LocalMeasurer(measureOptions);

        // References first: every task's 1,000 random trials (resumed from their logs), the transfer source.
        var references = new Dictionary<string, (string Log, double Best)>();
        foreach (var layer in layers)
        {
            var log = Path.Combine(dir, Slug(layer.Name) + $"-random{referenceTrials}.jsonl");
            var result = await TaskTuning.RunAsync(layer.Task, new RandomTuner(layer.Task.Space, 1000), measurer,
                new TuneOptions { Trials = referenceTrials, StartWithDefault = false, Measure = measureOptions }, new LogFile(log), cancellationToken: ct);
            references[layer.Name] = (log, result.BestGflops);
            progress.WriteLine($"[{layer.Name}] reference: best of {result.Trials} random trials {result.BestGflops:F1} GFLOP/s");
        }

        var rows = new List<(string Layer, double Reference, List<Run> Runs)>();
        foreach (var layer in NameFilter.Apply(only, layers, l => l.Name))
        {
            var target = 0.95 * references[layer.Name].Best;
            var runs = new List<Run>();
            foreach (var tuner in new[] { "random", "ga", "model", "model+transfer" })
            foreach (var seed in Seeds)
            {
                var run = await RunOnceAsync(layer.Task, tuner, seed, target, cap, measurer, measureOptions,
                    tuner.EndsWith("+transfer") ? History(references, layer.Name) : [], ct);
                progress.WriteLine($"[{layer.Name}] {tuner} seed {seed}: {(run.TrialsToTarget?.ToString() ?? $">{cap}")} trials to {target:F1} GFLOP/s; model {run.ModelSeconds:F1} s of " +
                    $"{run.Seconds:F1} s");
                runs.Add(run);
            }
            rows.Add((layer.Name, references[layer.Name].Best, runs));
        }
        return Markdown(rows, referenceTrials, cap);
    }

    private static List<TuningRecord> History(Dictionary<string, (string Log, double Best)> references, string except) =>
        references.Where(r => r.Key != except).SelectMany(r => RecordReader.Read(r.Value.Log)).ToList();

    private static async Task<Run> RunOnceAsync(TuningTask task, string tunerName, int seed, double targetGflops, int cap,
        IMeasurer measurer, MeasureOptions measureOptions, IReadOnlyList<TuningRecord> history, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var tuner = tunerName.StartsWith("model") ? new ModelBasedTuner(task, seed) : TunerRegistry.Create(tunerName, task, seed);
        tuner.LoadHistory(history);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watch = new ReachTarget(task.Flops, targetGflops, stop);
        var best = 0.0;
        try
        {
            var result = await tuner.TuneAsync(task, measurer, new TuneOptions { Trials = cap, StartWithDefault = false, Measure = measureOptions },
                [watch], stop.Token);
            best = result.BestGflops;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            best = watch.BestGflops; // stopped on reaching the target
        }
        var modelSeconds = tuner is ModelBasedTuner model ? model.ModelTime.TotalSeconds : 0;
        return new Run(tunerName, seed, watch.ReachedAt, Math.Max(best, watch.BestGflops), modelSeconds, clock.Elapsed.TotalSeconds, watch.Trials);
    }

    /// <summary>Counts trials and cancels the run at the first config at or above the target.</summary>
    private sealed class ReachTarget(long flops, double targetGflops, CancellationTokenSource stop) : ITuneCallback
    {
        public int Trials { get; private set; }
        public int? ReachedAt { get; private set; }
        public double BestGflops { get; private set; }

        public void OnTrial(TuningTask task, MeasureInput input, MeasureResult result)
        {
            Trials++;
            if (!result.IsValid) return;
            var gflops = flops / result.MeanCost / 1e9;
            BestGflops = Math.Max(BestGflops, gflops);
            if (gflops >= targetGflops && ReachedAt is null)
            {
                ReachedAt = Trials;
                stop.Cancel();
            }
        }
    }

    private static string Markdown(List<(string Layer, double Reference, List<Run> Runs)> rows, int referenceTrials, int cap)
    {
        var tuners = rows.SelectMany(r => r.Runs.Select(x => x.Tuner)).Distinct().ToList();
        var b = new StringBuilder();
        b.AppendLine($"Trials to reach 95% of the best of {referenceTrials} random trials (seeds {string.Join(", ", Seeds)}; median in bold; >{cap}: not reached within {cap}):");
        b.AppendLine();
        b.AppendLine("| task | reference GFLOP/s | " + string.Join(" | ", tuners) + " |");
        b.AppendLine("|---|---|" + string.Concat(tuners.Select(_ => "---|")));
        foreach (var (layer, reference, runs) in rows)
        {
            var cells = tuners.Select(t =>
            {
                var mine = runs.Where(r => r.Tuner == t).ToList();
                var counts = mine.Select(r => (double)(r.TrialsToTarget ?? cap + 1)).ToList();
                var median = Stats.Median(counts);
                return $"{string.Join(" / ", mine.Select(r => r.TrialsToTarget?.ToString() ?? $">{cap}"))} (**{(median > cap ? $">{cap}" : Stats.F(median, 0))}**)";
            });
            b.AppendLine($"| {layer} | {Stats.F(reference)} | {string.Join(" | ", cells)} |");
        }
        b.AppendLine();
        b.AppendLine("| tuner | median trials over all runs | runs reaching the target | model time / measuring time |");
        b.AppendLine("|---|---|---|---|");
        foreach (var t in tuners)
        {
            var all = rows.SelectMany(r => r.Runs).Where(r => r.Tuner == t).ToList();
            var median = Stats.Median(all.Select(r => (double)(r.TrialsToTarget ?? cap + 1)));
            var model = all.Sum(r => r.ModelSeconds);
            var measuring = all.Sum(r => r.Seconds) - model;
            b.AppendLine($"| {t} | {(median > cap ? $">{cap}" : Stats.F(median, 0))} | {all.Count(r => r.TrialsToTarget is not null)}/{all.Count} | " +
                $"{(model > 0 ? Stats.F(100 * model / measuring) + "%" : "-")} |");
        }
        return b.ToString();
    }

    private static string Slug(string name) => new(name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
