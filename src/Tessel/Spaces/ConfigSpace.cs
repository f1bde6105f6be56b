using System.Text.Json.Nodes;

namespace Tessel.Spaces;

/// <summary>The product of a template's knobs for one workload. A config's index is a mixed-radix
/// number whose least significant digit is the first-defined knob (as in AutoTVM). The space is
/// never materialised: 10^8 points are normal.</summary>
public sealed class ConfigSpace : ISearchSpace
{
    private readonly List<Knob> knobs = [];
    private readonly Dictionary<string, int> byName = new(StringComparer.Ordinal);

    /// <summary>Knobs a template gained after records were written, with the value such a record meant.</summary>
    private readonly Dictionary<string, KnobValue> absentAs = new(StringComparer.Ordinal);

    public IReadOnlyList<Knob> Knobs => knobs;

    /// <summary>Number of configs; saturates at long.MaxValue (such a space is still indexable in part).</summary>
    public long Size { get; private set; } = 1;

    public T Define<T>(T knob) where T : Knob
    {
        if (!byName.TryAdd(knob.Name, knobs.Count)) throw new ArgumentException($"knob '{knob.Name}' is defined twice");
        knobs.Add(knob);
        Size = Size > long.MaxValue / knob.Count ? long.MaxValue : Size * knob.Count;
        return knob;
    }

    /// <summary>Defines a knob that records written before it existed lack: such a record reads as
    /// <paramref name="absentAs"/> (e.g. the vector width every kernel had before the width was a knob).</summary>
    public T Define<T>(T knob, KnobValue absentAs) where T : Knob
    {
        if (knob.IndexOf(absentAs) < 0) throw new ArgumentException($"knob '{knob.Name}' cannot take {absentAs}", nameof(absentAs));
        this.absentAs[knob.Name] = absentAs;
        return Define(knob);
    }

    public Knob this[string name] => byName.TryGetValue(name, out var i) ? knobs[i] : throw new KeyNotFoundException($"no knob named '{name}'");

    public bool TryGetKnob(string name, out Knob knob)
    {
        var found = byName.TryGetValue(name, out var i);
        knob = found ? knobs[i] : null!;
        return found;
    }

    public ConfigEntity Get(long index)
    {
        if (index < 0 || index >= Size) throw new ArgumentOutOfRangeException(nameof(index), $"config index {index} is outside the space of {Size}");
        var digits = new int[knobs.Count];
        var rest = index;
        for (var k = 0; k < knobs.Count; k++)
        {
            digits[k] = (int)(rest % knobs[k].Count);
            rest /= knobs[k].Count;
        }
        return new ConfigEntity(this, index, digits);
    }

    /// <summary>The config whose knobs take these candidate positions.</summary>
    public ConfigEntity FromDigits(IReadOnlyList<int> digits)
    {
        if (digits.Count != knobs.Count) throw new ArgumentException($"{digits.Count} digits for {knobs.Count} knobs");
        long index = 0, radix = 1;
        for (var k = 0; k < knobs.Count; k++)
        {
            if (digits[k] < 0 || digits[k] >= knobs[k].Count) throw new ArgumentOutOfRangeException(nameof(digits), $"knob '{knobs[k].Name}' has no candidate {digits[k]}");
            index += digits[k] * radix;
            radix = k + 1 < knobs.Count ? radix * knobs[k].Count : radix;
        }
        return new ConfigEntity(this, index, digits.ToArray());
    }

    /// <summary>The config with these knob values, or null when a value is not a candidate here.</summary>
    public ConfigEntity? FromValues(IReadOnlyDictionary<string, KnobValue> values)
    {
        var digits = new int[knobs.Count];
        for (var k = 0; k < knobs.Count; k++)
        {
            if (!values.TryGetValue(knobs[k].Name, out var value)) return null;
            digits[k] = knobs[k].IndexOf(value);
            if (digits[k] < 0) return null;
        }
        return FromDigits(digits);
    }

    /// <summary>Reads a record's <c>entity</c> list (<c>[[name, kind, value], ...]</c>) back into this space.
    /// Throws <see cref="FormatException"/> naming the knob when the record does not fit.</summary>
    public ConfigEntity FromEntityJson(JsonArray entity)
    {
        try { return ParseEntity(entity); }
        // A value of the wrong JSON type (a string where a tile size goes): the record does not fit, as any other mismatch.
        catch (InvalidOperationException e) { throw new FormatException($"entity {entity.ToJsonString()}: {e.Message}", e); }
    }

    private ConfigEntity ParseEntity(JsonArray entity)
    {
        var values = new Dictionary<string, KnobValue>(StringComparer.Ordinal);
        foreach (var item in entity)
        {
            if (item is not JsonArray { Count: 3 } triple) throw new FormatException($"entity item must be [name, kind, value], got {item?.ToJsonString()}");
            var name = triple[0]?.GetValue<string>() ?? throw new FormatException("entity item has no knob name");
            if (!TryGetKnob(name, out var knob)) throw new FormatException($"knob '{name}' is not in this space");
            var kind = triple[1]?.GetValue<string>() ?? throw new FormatException($"knob '{name}' has no kind");
            if (kind != knob.Kind) throw new FormatException($"knob '{name}' is '{knob.Kind}', record says '{kind}'");
            values[name] = knob.ParseValue(triple[2] ?? throw new FormatException($"knob '{name}' has no value"));
        }
        foreach (var knob in knobs)
        {
            if (!values.TryGetValue(knob.Name, out var value))
                value = values[knob.Name] = absentAs.GetValueOrDefault(knob.Name) ?? throw new FormatException($"record has no value for knob '{knob.Name}'");
            if (knob.IndexOf(value) < 0) throw new FormatException($"knob '{knob.Name}' cannot take {value}");
        }
        return FromValues(values)!;
    }

    /// <summary>This space with every split restricted to tiles that divide their axis (AutoTVM's factor
    /// policy): the space of templates that cannot take non-dividing tiles.</summary>
    public ConfigSpace WithFactorSplits()
    {
        var restricted = new ConfigSpace();
        foreach (var knob in knobs)
        {
            var kept = knob is SplitKnob { Policy: not SplitPolicy.Factors } split
                ? new SplitKnob(split.Name, split.Extent, SplitPolicy.Factors, split.Outputs, split.MaxFactor)
                : knob;
            if (absentAs.TryGetValue(knob.Name, out var value)) restricted.Define(kept, value);
            else restricted.Define(kept);
        }
        return restricted;
    }

    public override string ToString() =>
        $"ConfigSpace({Size} configs: {string.Join(", ", knobs.Select(k => $"{k.Name}[{k.Kind}]x{k.Count}"))})";
}
