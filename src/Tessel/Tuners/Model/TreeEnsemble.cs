using Microsoft.ML.Trainers.FastTree;

namespace Tessel.Tuners.Model;

/// <summary>A fitted tree ensemble (ML.NET's form of a LightGBM or FastTree model) copied into flat arrays and evaluated directly: simulated annealing
/// scores tens of thousands of configs per batch, far too many for ML.NET's row-by-row prediction engine.
/// Node i splits on <c>feature[i] &lt;= threshold[i]</c> (left) as both libraries do; a negative child is the
/// complement of a leaf index.</summary>
public sealed class TreeEnsemble
{
    private readonly Tree[] trees;
    private readonly double bias;

    private TreeEnsemble(Tree[] trees, double bias)
    {
        this.trees = trees;
        this.bias = bias;
    }

    public static TreeEnsemble From(RegressionTreeEnsemble ensemble)
    {
        var trees = ensemble.Trees.Select((t, i) =>
        {
            if (t.CategoricalSplitFlags.Any(f => f)) throw new NotSupportedException("categorical splits are not used by Tessel's features");
            return new Tree(t.NumericalSplitFeatureIndexes.ToArray(), t.NumericalSplitThresholds.ToArray(), t.LeftChild.ToArray(),
                t.RightChild.ToArray(), t.LeafValues.ToArray(), ensemble.TreeWeights[i]);
        }).ToArray();
        return new TreeEnsemble(trees, ensemble.Bias);
    }

    public int Count => trees.Length;

    public double Evaluate(ReadOnlySpan<float> features)
    {
        var sum = bias;
        foreach (var tree in trees)
        {
            var node = 0;
            if (tree.Thresholds.Length > 0)
                while (node >= 0)
                    node = features[tree.Features[node]] <= tree.Thresholds[node] ? tree.Left[node] : tree.Right[node];
            else node = ~0;
            sum += tree.Weight * tree.Leaves[~node];
        }
        return sum;
    }

    private sealed record Tree(int[] Features, float[] Thresholds, int[] Left, int[] Right, double[] Leaves, double Weight);
}
