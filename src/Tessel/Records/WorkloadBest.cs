namespace Tessel.Records;

/// <summary>The fastest valid record of one workload (null when every trial failed), with how many
/// trials and errors it has; <see cref="First"/> names the workload either way. <see cref="Fastest"/> keeps the
/// next fastest too (up to <see cref="HistoryBest.Kept"/>), fastest first: a runtime that weighs a kernel's
/// layout against its neighbours' picks among them (TVM's graph tuner weighs the top configs per layout).</summary>
public sealed record WorkloadBest(TuningRecord First, TuningRecord? Best, int Trials, int Errors)
{
    public double MeanSeconds => Best?.Result.MeanCost ?? double.PositiveInfinity;

    public IReadOnlyList<TuningRecord> Fastest { get; init; } = Best is null ? [] : [Best];
}
