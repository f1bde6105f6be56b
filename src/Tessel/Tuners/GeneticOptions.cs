namespace Tessel.Tuners;

/// <summary>Settings of the genetic tuner, with AutoTVM's defaults.</summary>
public sealed record GeneticOptions
{
    public int Population { get; init; } = 100;

    public double MutationProbability { get; init; } = 0.1;

    public void Validate()
    {
        if (Population < 2) throw new ArgumentOutOfRangeException(nameof(Population), $"population must be >= 2, got {Population}");
        if (MutationProbability is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(MutationProbability), $"mutation probability must be in [0, 1], got {MutationProbability}");
    }
}
