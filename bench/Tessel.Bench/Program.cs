using Tessel.Bench;

// tessel-bench kernels|selective|models|zero-trial|tuners|scheduler [--trials N] [--only NAME] [--out FILE] [--depend-mode M] [--share-pool M] [--refine K] [--tuner T] [--threads N]
// [--min-similarity S] [--scheme tessel|rfc] [--split all|factors]; `tessel bench ...` runs the same suites with a full command line.
int? trials = null;
var threads = 1;
var scheme = Tessel.Tuning.SelectiveScheme.Default;
string? dependMode = null, sharePool = null;
int? refine = null;
var tuner = "model";
double? threshold = null;
var factors = false;
string? outFile = null, only = null;
var suite = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "kernels";
for (var i = 0; i + 1 < args.Length; i++)
{
    switch (args[i])
    {
        case "--trials": trials = int.Parse(args[++i]); break;
        case "--out": outFile = args[++i]; break;
        case "--only": only = args[++i]; break;
        case "--depend-mode": dependMode = args[++i]; break;
        case "--share-pool": sharePool = args[++i]; break;
        case "--refine": refine = int.Parse(args[++i]); break;
        case "--tuner": tuner = args[++i]; break;
        case "--threads": threads = int.Parse(args[++i]); break;
        case "--min-similarity": threshold = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--scheme": scheme = Tessel.Tuning.SelectiveScheme.Parse(args[++i]); break;
        case "--split": factors = args[++i] == "factors"; break;
    }
}
var report = suite switch
{
    "kernels" => await KernelSuite.RunAsync(trials ?? 200, only, Console.Error),
    "selective" => (await SelectiveSuite.RunAsync(SelectiveBenchRun.Of(scheme, trials ?? 200, tuner, threads, factors, dependMode, sharePool, refine, threshold), only, Console.Error)).Report,
    "models" => await ModelSuite.RunAsync(trials ?? 32, only, Console.Error),
    "zero-trial" => await ZeroTrialSuite.RunAsync(only, Console.Error),
    "tuners" => await TunerSuite.RunAsync(1000, trials ?? 300, [1, 2, 3], threads, only, Console.Error),
    "scheduler" => await SchedulerSuite.RunAsync(only ?? "resnet50_v1", trials ?? 24, Console.Error),
    _ => null,
};
if (report is null)
{
    Console.Error.WriteLine($"unknown suite '{suite}' (available: kernels, selective, models, zero-trial, tuners, scheduler)");
    return 2;
}
Console.WriteLine(report);
if (outFile is not null) File.WriteAllText(outFile, report);
return 0;
