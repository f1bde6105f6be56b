using System.Text.Json.Nodes;

namespace Tessel.Spaces;

/// <summary>Splits an axis of a given extent into <c>outputs</c> nested loops. Each candidate fixes the
/// inner loop sizes; the product of the inner sizes never exceeds the extent.</summary>
public sealed class SplitKnob : Knob
{
    public SplitKnob(string name, int extent, SplitPolicy policy = SplitPolicy.All, int outputs = 2, int? maxFactor = null)
        : base(name, Enumerate(name, extent, policy, outputs, maxFactor))
    {
        Extent = extent;
        Policy = policy;
        Outputs = outputs;
        MaxFactor = maxFactor;
    }

    public int Extent { get; }
    public SplitPolicy Policy { get; }
    public int Outputs { get; }
    public int? MaxFactor { get; }

    public override string Kind => "sp";

    public override KnobValue ParseValue(JsonNode node)
    {
        var sizes = IntArray(node);
        if (sizes.Length != Outputs) throw new FormatException($"split '{Name}' has {Outputs} parts, record has {sizes.Length}");
        return new SplitValue(sizes.Skip(1).ToArray());
    }

    /// <summary>Sizes a single loop of the split may take.</summary>
    public static IReadOnlyList<int> Sizes(int extent, SplitPolicy policy, int? maxFactor)
    {
        var max = Math.Min(extent, maxFactor ?? extent);
        var all = Enumerable.Range(1, Math.Max(max, 1));
        return policy switch
        {
            SplitPolicy.Factors => all.Where(s => extent % s == 0).ToArray(),
            SplitPolicy.Power2 => all.Where(s => (s & (s - 1)) == 0).ToArray(),
            _ => all.ToArray(),
        };
    }

    private static List<KnobValue> Enumerate(string name, int extent, SplitPolicy policy, int outputs, int? maxFactor)
    {
        if (extent < 1) throw new ArgumentOutOfRangeException(nameof(extent), $"split '{name}': extent must be >= 1, got {extent}");
        if (outputs < 2) throw new ArgumentOutOfRangeException(nameof(outputs), $"split '{name}': needs at least 2 outputs, got {outputs}");
        if (maxFactor is < 1) throw new ArgumentOutOfRangeException(nameof(maxFactor), $"split '{name}': max factor must be >= 1, got {maxFactor}");
        var values = new List<KnobValue>();
        Recurse(new List<int>(), extent);
        return values;

        // Inner sizes are chosen outermost first; each must fit in what remains of the extent.
        void Recurse(List<int> prefix, int remaining)
        {
            if (prefix.Count == outputs - 1)
            {
                values.Add(new SplitValue(prefix.ToArray()));
                return;
            }
            foreach (var size in Sizes(policy == SplitPolicy.Factors ? remaining : extent, policy, maxFactor))
            {
                if (size > remaining) break;
                if (policy == SplitPolicy.Factors && remaining % size != 0) continue;
                prefix.Add(size);
                Recurse(prefix, policy == SplitPolicy.Factors ? remaining / size : remaining / size);
                prefix.RemoveAt(prefix.Count - 1);
            }
        }
    }
}
