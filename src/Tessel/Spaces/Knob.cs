using System.Text.Json.Nodes;

namespace Tessel.Spaces;

/// <summary>A named tuning dimension with a finite, ordered list of candidate values.
/// Its kind is the two-letter tag of AutoTVM's records: "sp", "re", "an", "ot".</summary>
public abstract class Knob
{
    private Dictionary<KnobValue, int>? positions;

    protected Knob(string name, IReadOnlyList<KnobValue> candidates)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a knob needs a name", nameof(name));
        if (candidates.Count == 0) throw new ArgumentException($"knob '{name}' has no candidate values", nameof(candidates));
        Name = name;
        Candidates = candidates;
    }

    public string Name { get; }

    public abstract string Kind { get; }

    /// <summary>Every value this knob can take, in index order.</summary>
    public IReadOnlyList<KnobValue> Candidates { get; }

    public int Count => Candidates.Count;

    public KnobValue this[int index] => Candidates[index];

    /// <summary>Position of a value among the candidates, or -1 when the knob cannot take it.</summary>
    public int IndexOf(KnobValue value)
    {
        positions ??= Candidates.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i);
        return positions.TryGetValue(value, out var i) ? i : -1;
    }

    /// <summary>Parses a value of this knob's kind from a record's JSON.</summary>
    public abstract KnobValue ParseValue(JsonNode node);

    protected static int[] IntArray(JsonNode node) =>
        node is JsonArray a ? a.Select(x => x?.GetValue<int>() ?? throw new FormatException($"a null in {node.ToJsonString()}")).ToArray()
            : throw new FormatException($"expected an array of integers, got {node.ToJsonString()}");
}
