using Tessel.Selective;

namespace Tessel.Tuning;

/// <summary>How a model's tasks are tuned: all in full, or selectively (the RFC: representatives in full, the rest
/// from their schedules); tasks already tuned in the store skipped, or tasks with no record given the schedules
/// of the most similar workload the store holds. Selection and sharing default to <see cref="SelectiveScheme.Default"/>.</summary>
public sealed record ModelTuningOptions
{
    public bool Selective { get; init; }

    /// <summary>Two tasks are joined in the task graph (and a tuned workload is taken) from this similarity up.</summary>
    public double MinSimilarity { get; init; } = SelectiveScheme.Default.MinSimilarity;

    public SimilarityDefinition Definition { get; init; } = SimilarityDefinition.KnobProduct;

    public SelectiveTuningOptions Sharing { get; init; } = SelectiveScheme.Default.Sharing;

    /// <summary>A task whose workload has this many valid trials in the store is not tuned again.</summary>
    public int? SkipTuned { get; init; }

    /// <summary>A task with no record takes the schedules of the most similar workload tuned in the store.</summary>
    public bool ShareTuned { get; init; }
}
