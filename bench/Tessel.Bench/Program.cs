using Tessel.Bench;

// tessel-bench kernels [--trials N] [--only NAME] [--out FILE]; `tessel bench kernels` runs the same suite.
var trials = 200;
string? outFile = null, only = null;
var suite = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "kernels";
for (var i = 0; i + 1 < args.Length; i++)
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
var report = await KernelSuite.RunAsync(trials, only, Console.Error);
Console.WriteLine(report);
if (outFile is not null) File.WriteAllText(outFile, report);
return 0;
