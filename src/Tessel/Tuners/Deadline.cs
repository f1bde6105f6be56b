namespace Tessel.Tuners;

/// <summary>A wall-clock budget for tuning (<c>--time-budget</c>): tuning loops look at it before each batch and stop
/// once it has passed, so a run ends within its budget plus the batch in flight. A deadline can hold back a reserve
/// for work still to come (<see cref="Reserving"/>: the representatives of a selective run leave time for their
/// dependents); every deadline made from one shares its clock, which tests may replace.</summary>
public sealed class Deadline
{
    private readonly long start;
    private readonly Func<TimeSpan> reserve;

    public Deadline(TimeSpan budget, TimeProvider? clock = null)
    {
        if (budget <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(budget), $"a time budget must be > 0, got {budget}");
        (Budget, Clock, reserve) = (budget, clock ?? TimeProvider.System, () => TimeSpan.Zero);
        start = Clock.GetTimestamp();
    }

    private Deadline(Deadline of, Func<TimeSpan> reserve) => (Budget, Clock, start, this.reserve) = (of.Budget, of.Clock, of.start, () => of.reserve() + reserve());

    public TimeSpan Budget { get; }

    /// <summary>The clock the budget is spent on (the system's, but for tests).</summary>
    public TimeProvider Clock { get; }

    public TimeSpan Elapsed => Clock.GetElapsedTime(start);

    /// <summary>Time left before the budget, the reserve not taken off (zero once passed).</summary>
    public TimeSpan Remaining => Budget > Elapsed ? Budget - Elapsed : TimeSpan.Zero;

    /// <summary>True once the clock plus the reserve reaches the budget: start no more batches.</summary>
    public bool Passed => Elapsed + reserve() >= Budget;

    /// <summary>The same budget and clock, passed <paramref name="reserve"/>'s time earlier than this one (evaluated at each look).</summary>
    public Deadline Reserving(Func<TimeSpan> reserve) => new(this, reserve);
}
