using Tessel.Measure;
using Tessel.Records;
using Tessel.Tasks;
using Tessel.Tuners.Callbacks;

namespace Tessel.Tuners;

/// <summary>Tunes one task into a log, the way every command does it: trials already in the log are
/// resumed (not measured again, counted toward the budget), the log's other workloads are offered to the
/// tuner as history (transfer), each new trial is appended as measured.</summary>
public static class TaskTuning
{
    public static async Task<TuneResult> RunAsync(
        TuningTask task,
        Tuner tuner,
        IMeasurer measurer,
        TuneOptions options,
        string logPath,
        IReadOnlyList<ITuneCallback>? callbacks = null,
        Action<string>? warn = null,
        CancellationToken cancellationToken = default)
    {
        var records = RecordReader.Read(logPath, warn);
        var (previous, unmatched) = TaskTrials.From(records, task);
        if (unmatched > 0)
            warn?.Invoke($"{logPath}: {unmatched} records of this workload do not fit the current space of {task.Name} and are ignored");
        tuner.LoadHistory(records);
        using var writer = new RecordWriter(logPath);
        var all = new List<ITuneCallback> { new LogToFile(writer) };
        all.AddRange(callbacks ?? []);
        return await tuner.TuneAsync(task, measurer, options with { Resume = previous }, all, cancellationToken).ConfigureAwait(false);
    }
}
