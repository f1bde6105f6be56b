namespace Tessel.Spaces;

/// <summary>Maps a config of one task's space into another's, knob by knob: a value the target knob has
/// is kept; a split whose tiles exceed the target axis is clamped to it (and, under a factors-only policy,
/// moved to the nearest candidate); any other value with no counterpart makes the config unmappable.</summary>
public static class ConfigMapper
{
    public enum Outcome { Exact, Clamped, Unmappable }

    public static (ConfigEntity? Config, Outcome Outcome) Map(ConfigEntity source, ConfigSpace target)
    {
        var values = new Dictionary<string, KnobValue>(StringComparer.Ordinal);
        var clamped = false;
        foreach (var knob in target.Knobs)
        {
            if (!source.Space.TryGetKnob(knob.Name, out _)) return (null, Outcome.Unmappable);
            var value = source[knob.Name];
            if (knob.IndexOf(value) >= 0)
            {
                values[knob.Name] = value;
                continue;
            }
            if (knob is SplitKnob split && value is SplitValue tiles && Nearest(split, tiles) is { } near)
            {
                values[knob.Name] = near;
                clamped = true;
                continue;
            }
            return (null, Outcome.Unmappable);
        }
        return (target.FromValues(values), clamped ? Outcome.Clamped : Outcome.Exact);
    }

    /// <summary>The candidate closest to the clamped tiles, by the sum of |log(size ratio)| over the loops.</summary>
    private static SplitValue? Nearest(SplitKnob knob, SplitValue tiles)
    {
        if (tiles.InnerSizes.Count != knob.Outputs - 1) return null;
        var limit = Math.Min(knob.Extent, knob.MaxFactor ?? knob.Extent);
        var clamped = tiles.InnerSizes.Select(s => Math.Clamp(s, 1, limit)).ToArray();
        return knob.Candidates.Cast<SplitValue>()
            .OrderBy(c => c.InnerSizes.Zip(clamped, (a, b) => Math.Abs(Math.Log((double)a / b))).Sum())
            .ThenByDescending(c => c.Product)
            .First();
    }
}
