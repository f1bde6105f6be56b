namespace Tessel.Tuners.Model;

/// <summary>How long the annealing walks: AutoTVM walks 128 configs for up to 500 steps; here a plan of 32
/// trials is measured in about 3 s, and the model's share must stay under a tenth of that, so 64 walkers
/// for up to 200 steps (about 13,000 scored configs).</summary>
public sealed record SimulatedAnnealingOptions
{
    public int Walkers { get; init; } = 64;
    public int Steps { get; init; } = 200;

    /// <summary>Steps without a better kept set before stopping.</summary>
    public int EarlyStop { get; init; } = 50;

    /// <summary>Starting temperature, as a fraction of the walkers' initial score range.</summary>
    public double Temperature { get; init; } = 0.5;
}
