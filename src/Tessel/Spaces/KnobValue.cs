using System.Text.Json.Nodes;

namespace Tessel.Spaces;

/// <summary>One candidate value of a knob. Values compare by content, so that two spaces
/// can be intersected (selective tuning) and a logged config can be found again in a space.</summary>
public abstract class KnobValue : IEquatable<KnobValue>
{
    /// <summary>The value as it stands in an AutoTVM v0.2 record entity.</summary>
    public abstract JsonNode ToJson();

    /// <summary>Canonical text of the value; equality and hashing use it.</summary>
    public string Key => key ??= ToJson().ToJsonString();
    private string? key;

    public bool Equals(KnobValue? other) => other is not null && GetType() == other.GetType() && Key == other.Key;
    public override bool Equals(object? obj) => Equals(obj as KnobValue);
    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);
    public override string ToString() => Key;
}

/// <summary>A split of one axis into nested loops: sizes outermost first, the outermost written -1
/// (it is whatever remains: ceil(extent / product of the inner sizes)).</summary>
public sealed class SplitValue(IReadOnlyList<int> innerSizes) : KnobValue
{
    /// <summary>Inner loop extents, outermost inner first (for a 2-way split: one number, the tile).</summary>
    public IReadOnlyList<int> InnerSizes { get; } = innerSizes.ToArray();

    /// <summary>The innermost tile (the usual register or cache tile).</summary>
    public int Innermost => InnerSizes[^1];

    public int Product => InnerSizes.Aggregate(1, (a, b) => a * b);

    public override JsonNode ToJson()
    {
        var array = new JsonArray { -1 };
        foreach (var size in InnerSizes) array.Add(size);
        return array;
    }
}

/// <summary>A loop order: a permutation of the knob's axes.</summary>
public sealed class ReorderValue(IReadOnlyList<int> order) : KnobValue
{
    public IReadOnlyList<int> Order { get; } = order.ToArray();

    public override JsonNode ToJson() => new JsonArray(Order.Select(i => (JsonNode)i).ToArray());
}

/// <summary>Annotations of the knob's axes, one per axis ("unroll", "vec", "none", ...).</summary>
public sealed class AnnotateValue(IReadOnlyList<string> annotations) : KnobValue
{
    public IReadOnlyList<string> Annotations { get; } = annotations.ToArray();

    public override JsonNode ToJson() => new JsonArray(Annotations.Select(a => (JsonNode)a).ToArray());
}

/// <summary>One option of a choice knob (AutoTVM's "ot" entity): a string, number or bool.</summary>
public sealed class ChoiceValue : KnobValue
{
    private readonly JsonValue value;

    public ChoiceValue(string value) => this.value = JsonValue.Create(value);
    public ChoiceValue(long value) => this.value = JsonValue.Create(value);
    public ChoiceValue(bool value) => this.value = JsonValue.Create(value);
    private ChoiceValue(JsonValue value) => this.value = value;

    public string AsString() => value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
    public long AsLong() => value.GetValue<long>();
    public bool AsBool() => value.GetValue<bool>();

    public override JsonNode ToJson() => value.DeepClone();

    internal static ChoiceValue FromJson(JsonNode node) =>
        node is JsonValue v ? new ChoiceValue((JsonValue)v.DeepClone()) : throw new FormatException($"choice value must be a scalar, got {node.ToJsonString()}");
}
