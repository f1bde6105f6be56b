using Tessel.Bench;

// tessel-bench kernels|selective [--trials N] [--only NAME] [--out FILE] [--depend-mode M] [--threads N];
// `tessel bench ...` runs the same suites.
var trials = 200;
var threads = 1;
var dependMode = "top10";
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
        case "--threads": threads = int.Parse(args[++i]); break;
    }
}
if (suite is not ("kernels" or "selective"))
{
    Console.Error.WriteLine($"unknown suite '{suite}' (available: kernels, selective)");
    return 2;
}
var report = suite == "kernels"
    ? await KernelSuite.RunAsync(trials, only, Console.Error)
    : await SelectiveSuite.RunAsync(trials, dependMode, threads, only, Console.Error);
Console.WriteLine(report);
if (outFile is not null) File.WriteAllText(outFile, report);
return 0;
