using Tessel.Measure.Timing;
using Tessel.Tuning;
using Tessel.Templates;
using Tessel.Measure;
using Tessel.OnnxRuntime;
using Tessel.Records;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Workloads;

namespace Tessel.Bench;

/// <summary>The kernel benchmark, side by side in one run: for each layer the naive kernel, Tessel's best
/// config after a genetic search of a fixed trial budget per implementation (direct, and Winograd for 3x3
/// stride-1 convs; tuned at one thread and at two; the faster implementation counts),
/// and ONNX Runtime on the same single-op model at one and two threads; the FMA peak of this machine at
/// one and two threads; and the tuning throughput in measured trials per second.</summary>
public sealed class KernelBench(int trials, string logDirectory, TextWriter progress)
{
    public sealed record Row(
        string Layer, double Gflop, double NaiveGflops,
        double Tessel1, double Ort1, double Tessel2, double Ort2,
        double TrialsPerSecond, int Errors, string BestConfig1, string BestConfig2);

    /// <summary>Timing protocol for the side-by-side figures: longer repeats than tuning uses, median kept.</summary>
    private static MeasureOptions Final(int threads) => new() { Threads = threads, Repeat = 7, MinRepeatMs = 50 };

    public async Task<Row> RunAsync(BenchLayer layer, CancellationToken ct)
    {
        var task = layer.Task;
        var gflop = task.Flops / 1e9;
        progress.WriteLine($"[{layer.Name}] naive kernel...");
        var naive = gflop / NaiveSeconds(layer);

        // Tuned separately at each thread count: the best schedule for one core is not the best for two.
        // Every implementation of the workload gets the same budget; the faster one counts, as in a model.
        var implementations = TemplateRegistry.Alternatives(task.Workload).Select(i => new TuningTask(i.Template, i.Workload, task.Target)).Prepend(task).ToList();
        var tessel = new double[3];
        var tuned = new TuneResult[3];
        var winner = new string[3];
        var errors = 0;
        foreach (var threads in new[] { 1, 2 })
        {
            tessel[threads] = double.NaN;
            foreach (var implementation in implementations)
            {
                progress.WriteLine($"[{layer.Name}] tuning {implementation.Name}, {trials} trials (ga, {threads} thread(s))...");
                var suffix = implementation == task ? "" : " " + implementation.Name.Split('.')[0];
                var log = Path.Combine(logDirectory, $"{layer.Name}{suffix} {threads}t.jsonl");
                File.Delete(log);
                TuneResult result;
                await using (var measurer = new LocalMeasurer(new MeasureOptions { Threads = threads }))
                {
                    await measurer.StartAsync(ct);
                    result = await TaskTuning.RunAsync(implementation, new GeneticTuner(implementation.Space, seed: 1), measurer,
                        new TuneOptions { Trials = trials, Measure = measurer.Options }, new LogFile(log), cancellationToken: ct);
                }
                errors += result.Errors;
                if (threads == 1 && implementation == task) tuned[1] = result;
                var best = result.BestConfig ?? throw new InvalidOperationException($"{layer.Name}: no valid {implementation.Name} config in {trials} trials");
                await using (var measurer = new LocalMeasurer(Final(threads)))
                {
                    var final = (await measurer.MeasureAsync([new MeasureInput(implementation, best)], ct))[0];
                    var gflops = final.IsValid ? gflop / Stats.Median(final.Costs) : double.NaN;
                    if (!(gflops <= tessel[threads])) (tessel[threads], winner[threads]) = (gflops, $"{implementation.Name} {best}");
                }
            }
        }

        progress.WriteLine($"[{layer.Name}] ONNX Runtime...");
        var ort1 = gflop / OrtOperator.MedianSeconds(task, threads: 1);
        var ort2 = gflop / OrtOperator.MedianSeconds(task, threads: 2);
        return new Row(layer.Name, gflop, naive, tessel[1], ort1, tessel[2], ort2,
            tuned[1].Measured / tuned[1].Elapsed.TotalSeconds, errors, winner[1], winner[2]);
    }

    /// <summary>The template's naive reference loop, timed in-process on one thread (3 repeats of at least 0.1 s, by the timing engine).</summary>
    private static double NaiveSeconds(BenchLayer layer)
    {
        var task = layer.Task;
        var tensors = TaskTensors.For(task);
        var output = new float[tensors.Expected.Length];
        task.Template.Reference(task.Workload, tensors.Data, tensors.Weight, output);
        return LatencyTimer.System.Measure(calls =>
        {
            for (long i = 0; i < calls; i++) task.Template.Reference(task.Workload, tensors.Data, tensors.Weight, output);
        }, new LatencyProtocol(WarmUpCalls: 0, MinRepeatMs: 100, Repeats: 3)).Median;
    }

    public static string Markdown(IReadOnlyList<Row> rows, double peak1, double peak2)
    {
        var lines = new List<string>
        {
            "| layer | GFLOP | naive GFLOP/s | Tessel 1T GFLOP/s | % peak 1T | ORT 1T GFLOP/s | Tessel/ORT 1T | Tessel 2T GFLOP/s | % peak 2T | ORT 2T GFLOP/s | Tessel/ORT 2T | speed-up over " +
                "naive 1T | tuning trials/s | errors |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        };
        foreach (var r in rows)
            lines.Add($"| {r.Layer} | {Stats.F(r.Gflop, 3)} | {Stats.F(r.NaiveGflops, 2)} | {Stats.F(r.Tessel1)} | {Stats.F(100 * r.Tessel1 / peak1)}% | {Stats.F(r.Ort1)} | " +
                $"{Stats.F(r.Tessel1 / r.Ort1, 2)} | {Stats.F(r.Tessel2)} | {Stats.F(100 * r.Tessel2 / peak2)}% | {Stats.F(r.Ort2)} | {Stats.F(r.Tessel2 / r.Ort2, 2)} | " +
                    $"{Stats.F(r.Tessel1 / r.NaiveGflops, 0)}x | {Stats.F(r.TrialsPerSecond)} | {r.Errors} |");
        var geo1 = Math.Exp(rows.Average(r => Math.Log(r.Tessel1 / r.Ort1)));
        var geo2 = Math.Exp(rows.Average(r => Math.Log(r.Tessel2 / r.Ort2)));
        lines.Add("");
        lines.Add($"FMA peak measured in the same run: {Stats.F(peak1)} GFLOP/s at 1 thread, {Stats.F(peak2)} GFLOP/s at 2 threads. " +
                  $"Geometric mean of Tessel/ORT throughput: {Stats.F(geo1, 2)} at 1 thread, {Stats.F(geo2, 2)} at 2 threads. " +
                  $"Mean tuning throughput: {Stats.F(rows.Average(r => r.TrialsPerSecond))} measured trials/s.");
        lines.Add("");
        lines.Add("| kind | layers | Tessel/ORT 1T (geomean) | Tessel/ORT 2T (geomean) | mean % peak 1T | mean % peak 2T |");
        lines.Add("|---|---|---|---|---|---|");
        // The kind is the second word of a layer's name: 3x3, 1x1, 7x7, dw, dense.
        foreach (var kind in rows.GroupBy(r => r.Layer.Split(' ')[1]))
            lines.Add($"| {kind.Key} | {kind.Count()} | {Stats.F(Math.Exp(kind.Average(r => Math.Log(r.Tessel1 / r.Ort1))), 2)} | " +
                $"{Stats.F(Math.Exp(kind.Average(r => Math.Log(r.Tessel2 / r.Ort2))), 2)} | " +
                      $"{Stats.F(kind.Average(r => 100 * r.Tessel1 / peak1))}% | {Stats.F(kind.Average(r => 100 * r.Tessel2 / peak2))}% |");
        return string.Join("\n", lines);
    }
}
