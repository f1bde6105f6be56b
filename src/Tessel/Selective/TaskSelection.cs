using Tessel.Tasks;

namespace Tessel.Selective;

/// <summary>The RFC's task selection: the similarity matrix of the tasks, its maximal cliques as clusters, and
/// each cluster's representative; <see cref="MarkDepend"/> turns it into the plan tuning follows.</summary>
public static class TaskSelection
{
    /// <summary>PR #4187's threshold.</summary>
    public const double DefaultThreshold = 0.01;

    public static Selection Select(
        IReadOnlyList<TuningTask> tasks, double threshold = DefaultThreshold, SimilarityDefinition definition = SimilarityDefinition.KnobProduct) =>
        TaskClustering.Select(SimilarityMatrix.Compute(tasks, definition), threshold);

    /// <summary>The RFC's <c>mark_depend</c>, as a plan: every task depends on its cluster's representative.</summary>
    public static DependencePlan MarkDepend(
        IReadOnlyList<TuningTask> tasks, double threshold = DefaultThreshold, SimilarityDefinition definition = SimilarityDefinition.KnobProduct) =>
        DependencePlan.Of(tasks, Select(tasks, threshold, definition));
}
