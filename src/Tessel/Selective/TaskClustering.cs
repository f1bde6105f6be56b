namespace Tessel.Selective;

/// <summary>Turns a similarity matrix into clusters and representatives (the RFC's task selection).
/// Tasks are nodes; an edge joins two tasks whose similarity rate is at least the threshold; the
/// maximal cliques are candidate clusters. A task in several cliques goes to the clique to which its
/// weight sum (the sum of its similarity rates to the clique's current members) is highest, and this is
/// repeated until no task moves — what PR #4187 meant, though its code skipped it. In each cluster the
/// task with the highest weight sum to the others is the representative. Ties go to the lower index.</summary>
public static class TaskClustering
{
    private const int MaxRounds = 100;

    public static Selection Select(SimilarityMatrix psm, double threshold)
    {
        if (!(threshold is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(threshold), $"similarity threshold must be in [0, 1], got {threshold}");
        var n = psm.Count;
        var adjacent = new bool[n, n];
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
            adjacent[i, j] = i != j && psm[i, j] >= threshold && psm[i, j] > 0;
        var cliques = MaximalCliques.Find(adjacent);
        var containing = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, cliques.Count).Where(c => cliques[c].Contains(i)).ToArray()).ToArray();

        // Start with every task in every clique of its own; then each task picks one, until none moves.
        var members = cliques.Select(c => c.ToHashSet()).ToArray();
        var assigned = new int[n];
        for (var i = 0; i < n; i++) assigned[i] = Best(i);
        for (var c = 0; c < cliques.Count; c++) members[c] = cliques[c].Where(i => assigned[i] == c).ToHashSet();
        for (var round = 0; round < MaxRounds; round++)
        {
            var moved = false;
            for (var i = 0; i < n; i++)
            {
                var best = Best(i);
                if (best == assigned[i]) continue;
                members[assigned[i]].Remove(i);
                members[best].Add(i);
                assigned[i] = best;
                moved = true;
            }
            if (!moved) break;
        }

        var clusters = members.Where(m => m.Count > 0).Select(m => m.Order().ToArray()).OrderBy(c => c[0]).ToList();
        var depend = new int[n];
        var representatives = new List<int>();
        foreach (var cluster in clusters)
        {
            var representative = cluster.OrderByDescending(i => WeightSum(psm, i, cluster)).ThenBy(i => i).First();
            representatives.Add(representative);
            foreach (var i in cluster) depend[i] = representative;
        }
        return new Selection(psm, threshold, cliques, clusters, representatives, depend);

        int Best(int i) => containing[i]
            .OrderByDescending(c => WeightSum(psm, i, members[c]))
            .ThenBy(c => c)
            .First();
    }

    /// <summary>Sum of the similarity rates of task <paramref name="i"/> to the others in <paramref name="group"/>.</summary>
    public static double WeightSum(SimilarityMatrix psm, int i, IEnumerable<int> group) =>
        group.Where(j => j != i).Sum(j => psm[i, j]);
}
