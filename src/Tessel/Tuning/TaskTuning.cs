using Tessel.Measure;
using Tessel.Records;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Tuners.Callbacks;

namespace Tessel.Tuning;

/// <summary>Tunes one task into a log or database, the way every flow does it: trials already in the log are
/// resumed (not measured again, counted toward the budget), the log's other workloads are offered to the
/// tuner as history (transfer), each new trial is appended as measured.</summary>
public static class TaskTuning
{
    /// <summary>One task in full: the session's tuner, its trials (at most the task's space), its log.</summary>
    public static Task<TuneResult> RunAsync(TuningTask task, TuningSession session, string label)
    {
        var options = session.Options with { Trials = TrialBudget.Of(task, session.Options.Trials), StartFrom = session.StartOf(task) };
        return RunAsync(task, session.CreateTuner(task), session.Measurer, options, session.Store,
            session.ProgressOf(task, label, options.Trials), session.Warn, session.Cancellation);
    }

    public static async Task<TuneResult> RunAsync(
        TuningTask task,
        Tuner tuner,
        IMeasurer measurer,
        TuneOptions options,
        IRecordStore store,
        IReadOnlyList<ITuneCallback>? callbacks = null,
        Action<string>? warn = null,
        CancellationToken cancellationToken = default)
    {
        var records = store.Read(warn);
        using var writer = store.OpenAppender();
        return await RunAsync(task, tuner, measurer, options, new OpenLog(store, records, new AppendEachTrial(writer)), callbacks, warn,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The same, on a log read and opened once by the caller: for many tasks tuned side by side.</summary>
    public static Task<TuneResult> RunAsync(
        TuningTask task,
        Tuner tuner,
        IMeasurer measurer,
        TuneOptions options,
        OpenLog log,
        IReadOnlyList<ITuneCallback>? callbacks = null,
        Action<string>? warn = null,
        CancellationToken cancellationToken = default)
    {
        var previous = Resume(task, tuner, log, warn);
        return tuner.TuneAsync(task, measurer, options with { Resume = previous }, [log.Writer, .. callbacks ?? []], cancellationToken);
    }

    /// <summary>The task's trials already in the log (to resume), the log's other records given to the tuner as history.</summary>
    public static IReadOnlyList<(ConfigEntity Config, MeasureResult Result)> Resume(TuningTask task, Tuner tuner, OpenLog log, Action<string>? warn)
    {
        var (previous, unmatched) = TaskTrials.From(log.Records, task);
        if (unmatched > 0)
            warn?.Invoke($"{log.Store.Name}: {unmatched} records of this workload do not fit the current space of {task.Name} and are ignored");
        tuner.LoadHistory(log.Records);
        return previous;
    }
}
