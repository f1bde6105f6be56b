using Tessel.Spaces;

namespace Tessel.Tuners;

/// <summary>The outcome of a tuning run. <see cref="Measured"/> counts trials measured in this run;
/// <see cref="Trials"/> adds the resumed ones.</summary>
public sealed record TuneResult(
    ConfigEntity? BestConfig,
    double BestSeconds,
    int Trials,
    int Measured,
    int Errors,
    bool StoppedEarly,
    TimeSpan Elapsed,
    long Flops)
{
    public double BestGflops => double.IsFinite(BestSeconds) && BestSeconds > 0 ? Flops / BestSeconds / 1e9 : 0;
}
