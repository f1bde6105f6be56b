using Tessel.Tuning;
using Tessel.Graph;
using Tessel.Graph.Onnx;
using Tessel.Graph.Zoo;
using Tessel.Measure;
using Tessel.OnnxRuntime;
using Tessel.Records;
using Tessel.Runtime;
using Tessel.Scheduling;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Workloads;
using Tessel.Planning;

namespace Tessel.Bench;

/// <summary>End-to-end latency of every zoo model and every shared real model: Tessel with default configs
/// and with a tuned log, next to ONNX Runtime on the same weights, at 1 and 2 threads, side by side in one
/// run. Each model's tasks are tuned first, once per thread count into a log of its own (a config tuned at one
/// thread may choose a parallel axis that does not split at two): the model-based tuner, a budget of --trials per
/// task spent by the gradient task scheduler in rounds of 8, seed 1 (resumed if the log exists).</summary>
public static class ModelSuite
{
    internal sealed record Model(string Name, Func<ModelGraph> Load, Func<ModelGraph, byte[]> Onnx);

    /// <summary>Trials and tuning seconds are those of the one-thread log.</summary>
    private sealed record Row(string Name, int Tasks, int Trials, double TuningSeconds, double[] Default, double[] Tuned, double[] Ort, double MaxRelErr);

    /// <summary>The repository's real ONNX models (<see cref="BenchData.Models"/>) at their manifest's concrete input shapes.</summary>
    private static readonly (string File, string? Input, int[]? Shape)[] Shared =
    [
        ("blazeface-front-128.onnx", null, null),
        ("ppocr-mobile-v2.0-cls.onnx", "x", [1, 3, 48, 192]),
        ("ppocrv4-rec.onnx", "x", [1, 3, 48, 320]),
    ];

    /// <summary>Every zoo model, then the repository's real ONNX models that are present.</summary>
    internal static IEnumerable<Model> Models(string sharedDirectory)
    {
        foreach (var name in ModelZoo.Names)
            yield return new Model(name, () => ModelZoo.Build(name), OnnxExport.ToBytes);
        foreach (var (file, input, shape) in Shared)
        {
            var path = Path.Combine(sharedDirectory, file);
            if (!File.Exists(path)) continue;
            var shapes = input is null ? null : new Dictionary<string, int[]> { [input] = shape! };
            yield return new Model(Path.GetFileNameWithoutExtension(file), () => OnnxImport.Load(path, shapes), _ => File.ReadAllBytes(path));
        }
    }

    public static async Task<string> RunAsync(int trials, string? only, TextWriter progress, CancellationToken ct = default)
    {
        var shared = BenchData.Models;
        var models = NameFilter.Apply(only, Models(shared), m => m.Name);
        if (models.Count == 0) throw new ArgumentException($"no model matches '{only}'");
        var rows = new List<Row>();
        await using var measurer1 = new LocalMeasurer(new MeasureOptions { Threads = 1 });
        await using var measurer2 = new LocalMeasurer(new MeasureOptions { Threads = 2 });
        foreach (var model in models)
        {
            var graph = model.Load();
            var tasks = TaskExtraction.Extract(graph, Target.Host);
            var all = tasks.Select(t => t.Task).ToList();
            var logs = new[]
            {
                await BenchLogs.TuneScheduled(model.Name, all, trials, measurer1, progress, ct),
                await BenchLogs.TuneScheduled(model.Name, all, trials, measurer2, progress, ct),
            };
            var records = RecordReader.Read(logs[0], null);
            var data = CompiledModel.SampleInput(graph);
            var shape = graph.Inputs.Single().Value;
            var onnx = model.Onnx(graph);
            double[] defaults = new double[2], tuned = new double[2], ort = new double[2];
            var maxRel = 0.0;
            foreach (var threads in new[] { 1, 2 })
            {
                var plain = CompiledModel.Compile(graph, null, threads);
                var best = CompiledModel.Compile(graph, HistoryBest.Load(logs[threads - 1], progress.WriteLine), threads);
                using var reference = new OrtReference(onnx, threads);
                defaults[threads - 1] = plain.MedianLatencySeconds(data) * 1e3;
                tuned[threads - 1] = best.MedianLatencySeconds(data) * 1e3;
                ort[threads - 1] = reference.MeasureLatency(data, shape, minRepeatMs: 200, repeats: 5).Median * 1e3;
                maxRel = Math.Max(maxRel, OutputErrors.Compare(reference.RunAll(data, shape), best.Run(data)).MaxRel);
            }
            var row = new Row(model.Name, tasks.Count, records.Count, records.Sum(r => r.Result.AllCost), defaults, tuned, ort, maxRel);
            progress.WriteLine($"[{model.Name}] 1T default {Stats.F(defaults[0], 2)} tuned {Stats.F(tuned[0], 2)} ORT {Stats.F(ort[0], 2)} ms; 2T default {Stats.F(defaults[1], 2)} tuned " +
                $"{Stats.F(tuned[1], 2)} ORT {Stats.F(ort[1], 2)} ms");
            rows.Add(row);
        }
        return Markdown(rows, trials);
    }

    private static string Markdown(List<Row> rows, int trials)
    {
        var lines = new List<string>
        {
            "| model | tasks | trials | tuning s | 1T default ms | 1T tuned ms | 1T ORT ms | 1T tuned / ORT | 2T default ms | 2T tuned ms | 2T ORT ms | 2T tuned / ORT | max rel err |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        };
        foreach (var r in rows)
            lines.Add($"| {r.Name} | {r.Tasks} | {r.Trials} | {Stats.F(r.TuningSeconds, 0)} | {Stats.F(r.Default[0], 2)} | {Stats.F(r.Tuned[0], 2)} | {Stats.F(r.Ort[0], 2)} | " +
                $"{Stats.F(r.Tuned[0] / r.Ort[0], 2)}x | " +
                      $"{Stats.F(r.Default[1], 2)} | {Stats.F(r.Tuned[1], 2)} | {Stats.F(r.Ort[1], 2)} | {Stats.F(r.Tuned[1] / r.Ort[1], 2)}x | {r.MaxRelErr:0.0e+0} |");
        lines.Add("");
        double Geomean(Func<Row, double> ratio) => Math.Exp(rows.Average(r => Math.Log(ratio(r))));
        lines.Add($"Geomean tuned / ORT: {Stats.F(Geomean(r => r.Tuned[0] / r.Ort[0]), 2)}x at 1 thread, {Stats.F(Geomean(r => r.Tuned[1] / r.Ort[1]), 2)}x at 2 threads; " +
                  $"tuned vs default: {Stats.F(Geomean(r => r.Default[0] / r.Tuned[0]), 2)}x faster at 1 thread ({trials} trials per task on average, model-based tuner, gradient scheduler, " +
                      $"seed 1, tuned at the thread count of the run; lower ratio is better).");
        return string.Join("\n", lines) + "\n";
    }
}
