namespace Tessel.Scheduling;

/// <summary>Ansor's constants: alpha 0.2 weighs the backward (observed) gradient, beta 2 bounds the forecast
/// by similar tasks, the backward window is 3 rounds, and 5% of rounds go to a random task.</summary>
public sealed record TaskAllocationOptions
{
    public double Alpha { get; init; } = 0.2;
    public double Beta { get; init; } = 2;
    public int BackwardWindow { get; init; } = 3;
    public double Epsilon { get; init; } = 0.05;

    /// <summary>Rounds without a better config after which a task gets no more; null never gives up.</summary>
    public int? GiveUpAfter { get; init; }
}
