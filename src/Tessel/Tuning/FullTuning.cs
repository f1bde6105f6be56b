using Tessel.Scheduling;
using Tessel.Tasks;
using Tessel.Tuners;

namespace Tessel.Tuning;

/// <summary>Tasks tuned in full, as the session's strategy spreads them: one after another, or in scheduled
/// rounds from their budgets summed.</summary>
public static class FullTuning
{
    /// <param name="label">the progress prefix of a task's run in sequence (default: <c>[Task 1/3] </c>)</param>
    public static Task<IReadOnlyList<TuneResult>> RunAsync(IReadOnlyList<TuningTask> tasks, TuningSession session, Func<int, string>? label = null) =>
        session.Strategy == SchedulingStrategy.Sequential
            ? SequentialTuning.RunAsync(tasks, session, label)
            : ScheduledTuning.RunAsync(tasks, session.Strategy, TrialBudget.Total(tasks, session.Options.Trials), session);
}
