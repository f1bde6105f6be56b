using System.Text.Json.Nodes;

namespace Tessel.Spaces;

/// <summary>One point of a <see cref="ConfigSpace"/>: a candidate position per knob, and the index
/// those positions make.</summary>
public sealed class ConfigEntity : IEquatable<ConfigEntity>
{
    private readonly int[] digits;

    internal ConfigEntity(ConfigSpace space, long index, int[] digits)
    {
        Space = space;
        Index = index;
        this.digits = digits;
    }

    public ConfigSpace Space { get; }

    public long Index { get; }

    public IReadOnlyList<int> Digits => digits;

    public KnobValue this[string name] => Space[name][digits[IndexOfKnob(name)]];

    public T Get<T>(string name) where T : KnobValue =>
        this[name] as T ?? throw new InvalidCastException($"knob '{name}' is {this[name].GetType().Name}, not {typeof(T).Name}");

    /// <summary>Innermost tile of a split knob.</summary>
    public int Tile(string name) => Get<SplitValue>(name).Innermost;

    /// <summary>String value of a choice knob.</summary>
    public string Choice(string name) => Get<ChoiceValue>(name).AsString();

    public IEnumerable<(Knob Knob, KnobValue Value)> Values => Space.Knobs.Select((k, i) => (k, k[digits[i]]));

    /// <summary>The <c>entity</c> list of an AutoTVM v0.2 record: <c>[[name, kind, value], ...]</c>.</summary>
    public JsonArray EntityJson() =>
        new(Values.Select(p => (JsonNode)new JsonArray(p.Knob.Name, p.Knob.Kind, p.Value.ToJson())).ToArray());

    /// <summary>The record's <c>config</c> object: <c>{"index": i, "code_hash": null, "entity": [...]}</c>.</summary>
    public JsonObject ToJson() => new() { ["index"] = Index, ["code_hash"] = null, ["entity"] = EntityJson() };

    private int IndexOfKnob(string name)
    {
        var knobs = Space.Knobs;
        for (var i = 0; i < knobs.Count; i++) if (knobs[i].Name == name) return i;
        throw new KeyNotFoundException($"no knob named '{name}'");
    }

    public bool Equals(ConfigEntity? other) => other is not null && ReferenceEquals(Space, other.Space) && Index == other.Index;
    public override bool Equals(object? obj) => Equals(obj as ConfigEntity);
    public override int GetHashCode() => Index.GetHashCode();
    public override string ToString() => $"#{Index} " + string.Join(" ", Values.Select(p => $"{p.Knob.Name}={p.Value}"));
}
