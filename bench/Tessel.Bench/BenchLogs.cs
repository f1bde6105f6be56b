namespace Tessel.Bench;

/// <summary>Where the benchmarks keep their logs. Logs are resumed, never deleted (delete artifacts/bench to
/// start over); full tuning logs are shared between suites (the same tuner, seed, budget, threads and split
/// policy make the same log).</summary>
public static class BenchLogs
{
    public static string Full(string model, string tuner, int trials, int threads, bool factorSplits) =>
        Path.Combine(Directory("full"), $"{model}-{tuner}{trials}-t{threads}{(factorSplits ? "-factors" : "")}.jsonl");

    public static string Selective(string model, SelectiveBenchRun run) =>
        Path.Combine(Directory("selective"), $"{model}-{run.Tuner}{run.Trials}-{Mode(run.DependMode)}{(run.SharePool is null ? "" : "-pool" + Mode(run.SharePool))}"
            + $"{(run.Refine > 0 ? $"-refine{run.Refine}" : "")}-sm{run.Threshold:0.########}{(run.FactorSplits ? "-factors" : "")}.jsonl");

    private static string Mode(string mode) => mode.Replace("%", "pct");

    /// <summary>A model tuned as the end-to-end benchmark does it: model-based tuner, gradient scheduler, at
    /// <paramref name="threads"/> threads.</summary>
    public static string Scheduled(string model, int trialsPerTask, int threads = 1) =>
        Path.Combine(Directory("tuned"), $"{model}-model{trialsPerTask}-gradient-t{threads}.jsonl");

    private static string Directory(string kind)
    {
        var path = Path.Combine("artifacts", "bench", kind);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }
}
