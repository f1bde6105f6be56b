using Tessel.Tasks;

namespace Tessel.Selective;

/// <summary>The pairwise similarity matrix (PSM) of a model's tasks: symmetric, 1 on the diagonal.</summary>
public sealed class SimilarityMatrix
{
    private readonly double[,] values;

    private SimilarityMatrix(double[,] values) => this.values = values;

    public int Count => values.GetLength(0);

    public double this[int i, int j] => values[i, j];

    public static SimilarityMatrix Compute(IReadOnlyList<TuningTask> tasks, SimilarityDefinition definition = SimilarityDefinition.KnobProduct)
    {
        var n = tasks.Count;
        var values = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            values[i, i] = 1;
            for (var j = i + 1; j < n; j++)
                values[i, j] = values[j, i] = SimilarityRate.Compute(tasks[i], tasks[j], definition);
        }
        return new SimilarityMatrix(values);
    }

    /// <summary>A matrix given directly (tests, and matrices read back from a report).</summary>
    public static SimilarityMatrix FromValues(double[,] values)
    {
        var n = values.GetLength(0);
        if (values.GetLength(1) != n) throw new ArgumentException("a similarity matrix must be square");
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
            if (values[i, j] != values[j, i]) throw new ArgumentException($"similarity matrix is not symmetric at ({i}, {j})");
        return new SimilarityMatrix((double[,])values.Clone());
    }

    public double[][] ToRows() => Enumerable.Range(0, Count).Select(i => Enumerable.Range(0, Count).Select(j => values[i, j]).ToArray()).ToArray();
}
