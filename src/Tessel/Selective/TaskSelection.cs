using Tessel.Tasks;

namespace Tessel.Selective;

/// <summary>The RFC's <c>mark_depend</c>: computes the similarity matrix of the tasks, clusters them and
/// sets each task's <see cref="TuningTask.Depend"/> to its cluster's representative (itself for one).</summary>
public static class TaskSelection
{
    /// <summary>PR #4187's threshold.</summary>
    public const double DefaultThreshold = 0.01;

    public static Selection MarkDepend(
        IReadOnlyList<TuningTask> tasks, double threshold = DefaultThreshold, SimilarityDefinition definition = SimilarityDefinition.KnobProduct)
    {
        var selection = TaskClustering.Select(SimilarityMatrix.Compute(tasks, definition), threshold);
        for (var i = 0; i < tasks.Count; i++) tasks[i].Depend = tasks[selection.Depend[i]];
        return selection;
    }
}
