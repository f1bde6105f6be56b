using System.Text.Json.Nodes;

namespace Tessel.Spaces;

/// <summary>A loop order over named axes. Candidates are explicit permutations, or all of them.</summary>
public sealed class ReorderKnob : Knob
{
    public ReorderKnob(string name, IReadOnlyList<string> axes, IReadOnlyList<int[]>? orders = null)
        : base(name, (orders ?? Permutations(axes.Count)).Select(o => (KnobValue)new ReorderValue(Validate(name, axes.Count, o))).ToArray())
    {
        Axes = axes;
    }

    public IReadOnlyList<string> Axes { get; }

    public override string Kind => "re";

    public override KnobValue ParseValue(JsonNode node) => new ReorderValue(IntArray(node));

    private static int[] Validate(string name, int n, int[] order)
    {
        if (order.Length != n || order.OrderBy(i => i).Where((v, i) => v != i).Any())
            throw new ArgumentException($"reorder '{name}': [{string.Join(',', order)}] is not a permutation of {n} axes");
        return order;
    }

    private static List<int[]> Permutations(int n)
    {
        var result = new List<int[]>();
        Permute(Enumerable.Range(0, n).ToArray(), 0);
        return result;

        void Permute(int[] a, int k)
        {
            if (k == a.Length) { result.Add((int[])a.Clone()); return; }
            for (var i = k; i < a.Length; i++)
            {
                (a[k], a[i]) = (a[i], a[k]);
                Permute(a, k + 1);
                (a[k], a[i]) = (a[i], a[k]);
            }
        }
    }
}
