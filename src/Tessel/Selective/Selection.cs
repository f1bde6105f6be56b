namespace Tessel.Selective;

/// <summary>The outcome of task selection over a model's tasks (indices into the task list):
/// the similarity matrix, the clusters (each a clique of the task graph), each cluster's representative,
/// and for every task the representative it depends on (itself for a representative).</summary>
public sealed record Selection(
    SimilarityMatrix Psm,
    double Threshold,
    IReadOnlyList<int[]> Cliques,
    IReadOnlyList<int[]> Clusters,
    IReadOnlyList<int> Representatives,
    IReadOnlyList<int> Depend);
