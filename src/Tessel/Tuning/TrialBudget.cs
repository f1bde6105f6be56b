using Tessel.Tasks;
using Tessel.Tuners;

namespace Tessel.Tuning;

/// <summary>The budget rules every flow shares: a task never gets more trials than its space has configs, and
/// a task tuned in several rounds reports one outcome.</summary>
public static class TrialBudget
{
    /// <summary>Trials one task is tuned with: <paramref name="trials"/>, at most its space's size.</summary>
    public static int Of(TuningTask task, int trials) => (int)Math.Min(trials, task.Space.Size);

    /// <summary>The budget of many tasks tuned from one pool: the sum of their own budgets (at most <see cref="int.MaxValue"/>:
    /// a run bounded by time may give each task its whole space).</summary>
    public static int Total(IEnumerable<TuningTask> tasks, int trials) => (int)Math.Min(int.MaxValue, tasks.Sum(t => (long)Of(t, trials)));

    /// <summary>A task's outcome over two runs of it: the better best, trials and time summed.</summary>
    public static TuneResult Merge(TuneResult a, TuneResult b) =>
        (b.BestSeconds < a.BestSeconds ? b : a) with
        {
            Trials = a.Trials + b.Trials,
            Measured = a.Measured + b.Measured,
            Errors = a.Errors + b.Errors,
            StoppedEarly = b.StoppedEarly,
            Elapsed = a.Elapsed + b.Elapsed,
        };

    /// <summary>The outcome of a task nothing was tried for.</summary>
    public static TuneResult Nothing(TuningTask task) =>
        new(null, double.PositiveInfinity, 0, 0, 0, false, TimeSpan.Zero, task.Flops);
}
