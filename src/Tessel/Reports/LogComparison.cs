namespace Tessel.Reports;

/// <summary>A selective log beside a full one for the same model, in the RFC's columns: time used (selective / full,
/// by the trials' own wall times and by the logs' wall clock) and, once the model has been timed with each log,
/// achieved performance (full latency / selective latency); per task, each side's best.</summary>
public sealed record LogComparison(TuningSummary Selective, TuningSummary Full)
{
    /// <summary>The model's latency with each log's kernels, measured in turns, when it has been.</summary>
    public (double SelectiveMs, double FullMs)? Latencies { get; init; }

    public double TimeUsed => Selective.TrialSeconds / Full.TrialSeconds;

    public double WallTimeUsed => Selective.Seconds / Full.Seconds;

    public double TrialsUsed => (double)Selective.Trials / Full.Trials;

    public double? AchievedPerf => Latencies is var (selective, full) ? full / selective : null;

    /// <summary>Each task with both sides' best seconds; <c>Gap</c> is what the selective best costs the model beyond the
    /// full one (count x difference, negative where selective won).</summary>
    public IEnumerable<(TaskSummary Selective, TaskSummary Full, double Gap)> Tasks =>
        Selective.Tasks.Zip(Full.Tasks, (s, f) => (s, f,
            s.Tuned && f.Tuned ? s.Task.Count * (s.BestSeconds - f.BestSeconds) : double.NaN));
}
