namespace Tessel.Records;

/// <summary>The fastest valid record of one workload (null when every trial failed), with how many
/// trials and errors it has; <see cref="First"/> names the workload either way.</summary>
public sealed record WorkloadBest(TuningRecord First, TuningRecord? Best, int Trials, int Errors)
{
    public double MeanSeconds => Best?.Result.MeanCost ?? double.PositiveInfinity;
}
