using Tessel.Scheduling;
using Tessel.Tuners;

namespace Tessel.Selective;

/// <summary>Settings of a selective tuning run: representatives get <see cref="Tune"/>'s trials with the
/// named tuner; each dependent tries its representative's shared schedules (<see cref="DependMode"/>), then
/// <see cref="Refine"/> more trials of the named tuner seeded with them (0, as in the RFC).</summary>
public sealed record SelectiveTuningOptions
{
    public TuneOptions Tune { get; init; } = new();

    public string Tuner { get; init; } = "model";

    public int? Seed { get; init; }

    public DependMode DependMode { get; init; } = DependMode.Default;

    public int Refine { get; init; }

    /// <summary>Beyond the RFC: offer this many of the representative's best configs (a depend mode, e.g.
    /// <c>100%</c>); a dependent measures the best of them and the cost model picks the rest of
    /// <see cref="DependMode"/>'s count in the dependent's space (<see cref="SharedConfigRanking"/>). Null: the RFC's sharing, the best <see cref="DependMode"/> configs.</summary>
    public DependMode? SharePool { get; init; }

    /// <summary>How pass 1 spreads the representatives' budget (their trials x count): each in turn, as in
    /// the RFC, or in scheduled rounds.</summary>
    public SchedulingStrategy Strategy { get; init; } = SchedulingStrategy.Sequential;
}
