namespace Tessel.Selective;

/// <summary>All maximal cliques of an undirected graph, by Bron–Kerbosch with pivoting (Tomita et al.):
/// the pivot is the candidate with the most neighbours among the candidates, so branches that can only
/// rediscover a subset of a clique are never opened. Cliques come out sorted, in a deterministic order.</summary>
public static class MaximalCliques
{
    public static IReadOnlyList<int[]> Find(bool[,] adjacent)
    {
        var n = adjacent.GetLength(0);
        var neighbours = Enumerable.Range(0, n)
            .Select(v => Enumerable.Range(0, n).Where(u => u != v && adjacent[v, u]).ToHashSet())
            .ToArray();
        var cliques = new List<int[]>();
        Expand([], Enumerable.Range(0, n).ToHashSet(), []);
        return cliques.OrderBy(c => c[0]).ThenBy(c => string.Join(",", c)).ToList();

        void Expand(List<int> clique, HashSet<int> candidates, HashSet<int> excluded)
        {
            if (candidates.Count == 0 && excluded.Count == 0)
            {
                cliques.Add(clique.Order().ToArray());
                return;
            }
            var pivot = candidates.Concat(excluded).OrderByDescending(u => neighbours[u].Count(candidates.Contains)).ThenBy(u => u).First();
            foreach (var v in candidates.Where(v => !neighbours[pivot].Contains(v)).Order().ToList())
            {
                clique.Add(v);
                Expand(clique, candidates.Where(neighbours[v].Contains).ToHashSet(), excluded.Where(neighbours[v].Contains).ToHashSet());
                clique.RemoveAt(clique.Count - 1);
                candidates.Remove(v);
                excluded.Add(v);
            }
        }
    }
}
