using Tessel.Bench;
using Tessel.Measure;

// tessel-bench kernels [--trials N] [--out FILE] [--only NAME]
var trials = 200;
string? outFile = null;
string? only = null;
var suite = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "kernels";
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--trials": trials = int.Parse(args[++i]); break;
        case "--out": outFile = args[++i]; break;
        case "--only": only = args[++i]; break;
    }
}
if (suite != "kernels")
{
    Console.Error.WriteLine($"unknown suite '{suite}' (available: kernels)");
    return 2;
}

var logs = Path.Combine("artifacts", "bench");
Directory.CreateDirectory(logs);
var bench = new KernelBench(trials, logs, Console.Error);
var rows = new List<KernelBench.Row>();
foreach (var layer in Layers.Issue3.Where(l => only is null || l.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
{
    var row = await bench.RunAsync(layer, CancellationToken.None);
    Console.Error.WriteLine($"[{row.Layer}] Tessel {Stats.F(row.Tessel1)} / ORT {Stats.F(row.Ort1)} GFLOP/s at 1 thread; {Stats.F(row.Tessel2)} / {Stats.F(row.Ort2)} at 2; {Stats.F(row.TrialsPerSecond)} trials/s");
    rows.Add(row);
}
var peak1 = FmaPeak.Measure(1);
var peak2 = FmaPeak.Measure(2);
var table = KernelBench.Markdown(rows, peak1, peak2);
var configs = string.Join("\n", rows.Select(r => $"- {r.Layer}: 1 thread `{r.BestConfig1}`; 2 threads `{r.BestConfig2}`"));
var report = $"{table}\n\nBest configs ({trials} GA trials, seed 1, tuned at each thread count; tuning throughput is the 1-thread run's):\n{configs}\n";
Console.WriteLine(report);
if (outFile is not null) File.WriteAllText(outFile, report);
return 0;
