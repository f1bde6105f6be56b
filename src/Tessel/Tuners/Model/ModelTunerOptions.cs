namespace Tessel.Tuners.Model;

/// <summary>Settings of the <see cref="ModelBasedTuner"/>.</summary>
public sealed record ModelTunerOptions
{
    /// <summary>Configs per plan; the model is refitted after this many new trials (AutoTVM uses 64 with
    /// budgets of thousands; Tessel's budgets are hundreds).</summary>
    public int PlanSize { get; init; } = 32;

    /// <summary>Share of proposals drawn at random instead of from the plan.</summary>
    public double Epsilon { get; init; } = 0.05;

    /// <summary>Trials (own or transferred) before the first fit; until then configs are random.</summary>
    public int MinSamplesToFit { get; init; } = 16;

    /// <summary>Transferred rows kept (the newest of each workload, in equal shares), so that a long log does
    /// not slow every fit.</summary>
    public int MaxHistoryRows { get; init; } = 1500;

    public RankingModelOptions Model { get; init; } = new();

    public SimulatedAnnealingOptions Annealing { get; init; } = new();
}
