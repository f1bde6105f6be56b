using Tessel.Measure;
using Tessel.Spaces;

namespace Tessel.Tuners;

/// <summary>The budget and stopping rule of one tuning run.</summary>
public sealed record TuneOptions
{
    /// <summary>Trials in all, resumed ones included.</summary>
    public int Trials { get; init; } = 100;

    /// <summary>Configs measured per round (the tuner learns between rounds).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Stop after this many trials without a better config; null never stops early.</summary>
    public int? EarlyStopping { get; init; }

    /// <summary>Measure the template's default config in the first round, so a tuned kernel is never slower
    /// than the untuned one it replaces (small budgets can otherwise miss it).</summary>
    public bool StartWithDefault { get; init; } = true;

    /// <summary>Configs of the task's space the first round measures before the strategy's own (and before the default):
    /// its zero-trial start (shipped records, a similar workload's best), so tuning ends no slower than that start.</summary>
    public IReadOnlyList<ConfigEntity> StartFrom { get; init; } = [];

    public MeasureOptions Measure { get; init; } = new();

    /// <summary>A wall-clock budget: no batch starts once it has passed (null: the trials alone bound the run).</summary>
    public Deadline? Deadline { get; init; }

    /// <summary>Trials already in the log for this task: they are not measured again and count toward the budget.</summary>
    public IReadOnlyList<(ConfigEntity Config, MeasureResult Result)> Resume { get; init; } = [];

    public void Validate()
    {
        if (Trials < 0) throw new ArgumentOutOfRangeException(nameof(Trials), $"trials must be >= 0, got {Trials}");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), $"batch size must be >= 1, got {BatchSize}");
        if (EarlyStopping is < 1) throw new ArgumentOutOfRangeException(nameof(EarlyStopping), $"early stopping must be >= 1, got {EarlyStopping}");
        Measure.Validate();
    }
}
