using Tessel.Measure;
using Tessel.Records;
using Tessel.Scheduling;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Tuning;

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

    /// <summary>Tunes <paramref name="tasks"/> into <see cref="Scheduled"/>'s log at the measurer's threads (resumed where
    /// it exists): the model-based tuner, the gradient scheduler in rounds of 8 trials, seed 1.</summary>
    public static async Task<string> TuneScheduled(string model, IReadOnlyList<TuningTask> tasks, int trialsPerTask, LocalMeasurer measurer, TextWriter progress,
        CancellationToken ct)
    {
        var log = Scheduled(model, trialsPerTask, measurer.Options.Threads);
        await ScheduledTuning.RunAsync(tasks, SchedulingStrategy.Gradient, TrialBudget.Total(tasks, trialsPerTask),
            TuningSession.Named(measurer, new LogFile(log), new TuneOptions { Trials = 8, BatchSize = 8, Measure = measurer.Options }, "model", 1) with
            {
                OnRound = r => { if (r.Round % 20 == 0) progress.WriteLine($"[{model} t{measurer.Options.Threads} round {r.Round}] {r.Spent}/{r.Total} trials"); },
                Warn = progress.WriteLine,
                Cancellation = ct,
            });
        return log;
    }

    private static string Directory(string kind)
    {
        var path = Path.Combine("artifacts", "bench", kind);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }
}
