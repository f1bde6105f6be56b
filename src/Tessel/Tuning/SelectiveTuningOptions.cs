using Tessel.Selective;

namespace Tessel.Tuning;

/// <summary>How a selective run shares schedules: each dependent tries its representative's shared schedules
/// (<see cref="DependMode"/>), then <see cref="Refine"/> more trials of the session's tuner seeded with them (0, as
/// in the RFC). The representatives are tuned in full as the session says (its trials each, its strategy). A new
/// instance is the RFC's sharing; <see cref="SelectiveScheme"/> names the schemes a run chooses from.</summary>
public sealed record SelectiveTuningOptions
{
    public DependMode DependMode { get; init; } = DependMode.Default;

    public int Refine { get; init; }

    /// <summary>Beyond the RFC: offer this many of the representative's best configs (a depend mode, e.g.
    /// <c>100%</c>); a dependent measures the best of them and the cost model picks the rest of
    /// <see cref="DependMode"/>'s count in the dependent's space (<see cref="SharedConfigRanking"/>). Null: the RFC's
    /// sharing, the best <see cref="DependMode"/> configs.</summary>
    public DependMode? SharePool { get; init; }
}
