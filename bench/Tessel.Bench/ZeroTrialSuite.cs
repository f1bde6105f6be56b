using System.Diagnostics;
using Tessel.Graph;
using Tessel.OnnxRuntime;
using Tessel.Planning;
using Tessel.Records.Shipped;
using Tessel.Selective;
using Tessel.Workloads;

namespace Tessel.Bench;

/// <summary>A model no one tuned here: each zoo and shared model with no log of its own, run with its templates'
/// default configs only, with the zero-trial start (the shipped records of its workloads, else the most similar
/// shipped workload's best, else the default) and in ONNX Runtime, at 1 and 2 threads. The three are timed in
/// alternation, the order rotated each round, through one timing engine (median of 5 repeats of at least 200 ms per
/// round; the figure is the median over rounds).</summary>
public static class ZeroTrialSuite
{
    private const int Rounds = 5;

    private sealed record Row(string Name, KernelCounts Counts, double[] Default, double[] Zero, double[] Ort);

    public static Task<string> RunAsync(string? only, TextWriter progress, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var shipped = ShippedCatalog.Embedded.For(Target.Host, progress.WriteLine);
        var loadMs = clock.Elapsed.TotalMilliseconds;
        var models = NameFilter.Apply(only, ModelSuite.Models(BenchData.Models), m => m.Name);
        if (models.Count == 0) throw new ArgumentException($"no model matches '{only}'");
        var rows = new List<Row>();
        foreach (var model in models)
        {
            ct.ThrowIfCancellationRequested();
            var graph = model.Load();
            var data = CompiledModel.SampleInput(graph);
            var shape = graph.Inputs.Single().Value;
            var onnx = model.Onnx(graph);
            double[] defaults = new double[2], zero = new double[2], ort = new double[2];
            var counts = default(KernelCounts);
            foreach (var threads in new[] { 1, 2 })
            {
                var plain = CompiledModel.Compile(graph, null, threads);
                var started = CompiledModel.Compile(graph, null, threads, start: new ZeroTrialStart(ShippedCatalog.Embedded, () => [], progress.WriteLine));
                counts = new KernelCounts(started.KernelsFromLog, started.KernelsShipped, started.KernelsSimilar, started.KernelsDefault);
                using var reference = new OrtReference(onnx, threads);
                var timings = new Func<double>[]
                {
                    () => plain.MedianLatencySeconds(data),
                    () => started.MedianLatencySeconds(data),
                    () => reference.MeasureLatency(data, shape, minRepeatMs: 200, repeats: 5).Median,
                };
                var samples = timings.Select(_ => new List<double>()).ToArray();
                for (var round = 0; round < Rounds; round++)
                for (var k = 0; k < timings.Length; k++)
                {
                    var which = (k + round) % timings.Length;
                    samples[which].Add(timings[which]() * 1e3);
                }
                defaults[threads - 1] = Stats.Median(samples[0]);
                zero[threads - 1] = Stats.Median(samples[1]);
                ort[threads - 1] = Stats.Median(samples[2]);
            }
            var row = new Row(model.Name, counts, defaults, zero, ort);
            progress.WriteLine($"[{model.Name}] 1T default {Stats.F(defaults[0], 2)} zero-trial {Stats.F(zero[0], 2)} ORT {Stats.F(ort[0], 2)} ms; 2T default " +
                $"{Stats.F(defaults[1], 2)} zero-trial {Stats.F(zero[1], 2)} ORT {Stats.F(ort[1], 2)} ms ({counts.Shipped} shipped, {counts.Similar} similar, {counts.Default} default)");
            rows.Add(row);
        }
        return Task.FromResult(Markdown(rows, shipped, loadMs));
    }

    private static string Markdown(List<Row> rows, ShippedRecords? shipped, double loadMs)
    {
        var lines = new List<string>
        {
            "| model | kernels shipped / similar / default | 1T default ms | 1T zero-trial ms | 1T ORT ms | 1T zero-trial / ORT | 1T zero-trial / default | " +
                "2T default ms | 2T zero-trial ms | 2T ORT ms | 2T zero-trial / ORT | 2T zero-trial / default |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        };
        foreach (var r in rows)
            lines.Add($"| {r.Name} | {r.Counts.Shipped} / {r.Counts.Similar} / {r.Counts.Default} | " + string.Join(" | ", new[] { 0, 1 }.Select(t =>
                $"{Stats.F(r.Default[t], 2)} | {Stats.F(r.Zero[t], 2)} | {Stats.F(r.Ort[t], 2)} | {Stats.F(r.Zero[t] / r.Ort[t], 2)}x | {Stats.F(r.Zero[t] / r.Default[t], 2)}x")) + " |");
        lines.Add("");
        double Geomean(Func<Row, double> ratio) => Math.Exp(rows.Average(r => Math.Log(ratio(r))));
        lines.Add($"Geomean zero-trial / ORT: {Stats.F(Geomean(r => r.Zero[0] / r.Ort[0]), 2)}x at 1 thread, {Stats.F(Geomean(r => r.Zero[1] / r.Ort[1]), 2)}x at 2 threads; " +
            $"zero-trial / default-only: {Stats.F(Geomean(r => r.Zero[0] / r.Default[0]), 2)}x and {Stats.F(Geomean(r => r.Zero[1] / r.Default[1]), 2)}x (lower is better; " +
            $"median of {Rounds} alternated rounds, each the median of 5 repeats of at least 200 ms; steady-state latency, compilation not counted).");
        lines.Add(shipped is null
            ? $"No shipped records for {Target.Host.Text}: the zero-trial start had only similar workloads of nothing, so it is the default."
            : $"Shipped file {shipped.Name}: {shipped.Records.Count} records of {shipped.Workloads} workloads, {shipped.Bytes / 1024.0:0.0} KiB, read in {loadMs:0} ms (first use in " +
              $"the process, JIT included); measured on {shipped.Host.Cpu} ({shipped.Host.Isa}, {shipped.Host.Threads} threads, {shipped.Host.TrialsPerTask} trials per task).");
        return string.Join("\n", lines) + "\n";
    }
}
