using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Templates.Conv2d;
using Tessel.Workloads;

namespace Tessel.Tests.Selective;

public class ClusteringTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Bron_kerbosch_finds_exactly_the_maximal_cliques_of_brute_force(int seed)
    {
        var r = new Random(seed);
        var n = 4 + seed;
        var adjacent = new bool[n, n];
        for (var i = 0; i < n; i++)
        for (var j = i + 1; j < n; j++)
            adjacent[i, j] = adjacent[j, i] = r.NextDouble() < 0.5;

        var found = MaximalCliques.Find(adjacent).Select(c => string.Join(",", c)).Order().ToList();

        bool IsClique(int mask) => Enumerable.Range(0, n).Where(i => (mask >> i & 1) == 1)
            .All(i => Enumerable.Range(0, n).Where(j => j != i && (mask >> j & 1) == 1).All(j => adjacent[i, j]));
        var cliques = Enumerable.Range(1, (1 << n) - 1).Where(IsClique).ToList();
        var maximal = cliques.Where(m => !cliques.Any(o => o != m && (o & m) == m))
            .Select(m => string.Join(",", Enumerable.Range(0, n).Where(i => (m >> i & 1) == 1)))
            .Order().ToList();
        Assert.Equal(maximal, found);
    }

    [Fact]
    public void Representative_is_the_task_with_the_highest_weight_sum_and_shared_tasks_move_to_their_best_clique()
    {
        // Tasks 0-2 form one clique, 2-4 another; task 2 is more similar to 3 and 4 than to 0 and 1.
        var psm = SimilarityMatrix.FromValues(new double[,]
        {
            { 1.0, 0.9, 0.2, 0.0, 0.0 },
            { 0.9, 1.0, 0.3, 0.0, 0.0 },
            { 0.2, 0.3, 1.0, 0.8, 0.7 },
            { 0.0, 0.0, 0.8, 1.0, 0.6 },
            { 0.0, 0.0, 0.7, 0.6, 1.0 },
        });
        var selection = TaskClustering.Select(psm, threshold: 0.1);
        Assert.Equal(["0,1,2", "2,3,4"], selection.Cliques.Select(c => string.Join(",", c)));
        Assert.Equal(["0,1", "2,3,4"], selection.Clusters.Select(c => string.Join(",", c)));
        // Cluster {0,1}: a tie (0.9 each) goes to the lower index. Cluster {2,3,4}: 2 has 0.8 + 0.7.
        Assert.Equal([0, 2], selection.Representatives);
        Assert.Equal([0, 0, 2, 2, 2], selection.Depend);
    }

    [Fact]
    public void Mark_depend_is_deterministic_and_every_task_depends_on_a_representative_of_its_own_template()
    {
        List<TuningTask> Tasks() =>
        [
            .. new[] { (64, 56), (64, 28), (128, 28), (128, 14), (256, 14), (256, 7), (512, 7) }
                .Select(p => new TuningTask(Conv2dNchwTemplate.Instance,
                    Conv2dNchwTemplate.Workload([1, p.Item1, p.Item2, p.Item2], [p.Item1, p.Item1, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1), Target.Host)),
        ];
        var first = Tasks();
        var second = Tasks();
        var a = TaskSelection.Select(first, threshold: 0.05);
        var b = TaskSelection.Select(second, threshold: 0.05);
        Assert.Equal(a.Depend, b.Depend);
        var plan = TaskSelection.MarkDepend(first, threshold: 0.05);
        Assert.All(first, t => Assert.False(plan.IsDependent(plan.RepresentativeOf(t))));
        Assert.All(first, t => Assert.Equal(t.Name, plan.RepresentativeOf(t).Name));
        Assert.Equal(a.Representatives.Count, first.Count(t => !plan.IsDependent(t)));
        Assert.True(a.Representatives.Count < first.Count, "similar 3x3 convs should share representatives");
    }
}
