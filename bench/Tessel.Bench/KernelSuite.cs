using Tessel.Measure;
using Tessel.Templates.Dense;

namespace Tessel.Bench;

/// <summary>Runs the kernel benchmark over the chosen layers and writes its markdown report.</summary>
public static class KernelSuite
{
    public static async Task<string> RunAsync(int trials, string? only, TextWriter progress, CancellationToken ct = default)
    {
        var logs = Path.Combine("artifacts", "bench");
        Directory.CreateDirectory(logs);
        var bench = new KernelBench(trials, logs, progress);
        var rows = new List<KernelBench.Row>();
        var layers = NameFilter.Apply(only, Layers.Kernels, l => l.Name);
        if (layers.Count == 0) throw new ArgumentException($"no layer matches '{only}' (layers: {string.Join(", ", Layers.Kernels.Select(l => l.Name))})");
        foreach (var layer in layers)
        {
            var row = await bench.RunAsync(layer, ct);
            progress.WriteLine($"[{row.Layer}] Tessel {Stats.F(row.Tessel1)} / ORT {Stats.F(row.Ort1)} GFLOP/s at 1 thread; {Stats.F(row.Tessel2)} / {Stats.F(row.Ort2)} at 2; " +
                $"{Stats.F(row.TrialsPerSecond)} trials/s");
            rows.Add(row);
        }
        var peak1 = FmaPeak.Measure(1);
        var peak2 = FmaPeak.Measure(2);
        // Layers that stream their weights (dense at batch 1): against the read bandwidth at the same threads.
        var streaming = layers.Zip(rows).Where(l => l.First.Task.Name == DenseTemplate.Name && DenseParams.From(l.First.Task.Workload).N == 1)
            .Select(l => new WeightReadTable.Entry(l.Second, WeightRead.Measure(l.First.Task, 1), WeightRead.Measure(l.First.Task, 2))).ToList();
        var table = KernelBench.Markdown(rows, peak1, peak2);
        if (streaming.Count > 0) table += "\n\nLayers that stream their weights (dense at batch 1), beside the read bandwidth at the same threads:\n\n" + WeightReadTable.Markdown(streaming);
        var configs = string.Join("\n", rows.Select(r => $"- {r.Layer}: 1 thread `{r.BestConfig1}`; 2 threads `{r.BestConfig2}`"));
        return $"{table}\n\nBest configs ({trials} GA trials per implementation, seed 1, tuned at each thread count; the faster implementation is named; tuning throughput is the direct " +
            $"template's 1-thread run):\n{configs}\n";
    }
}
