using Tessel.Spaces;

namespace Tessel.Tuners;

/// <summary>Where a tuning run stands after a round: what callbacks and progress bars show.</summary>
public sealed record TuneProgress(
    int Trials,
    int Budget,
    int Measured,
    int Errors,
    ConfigEntity? BestConfig,
    double BestSeconds,
    long Flops)
{
    /// <summary>GFLOP/s of the best config so far; 0 before any valid trial.</summary>
    public double BestGflops => double.IsFinite(BestSeconds) && BestSeconds > 0 ? Flops / BestSeconds / 1e9 : 0;
}
