using System.Globalization;

namespace Tessel.Selective;

/// <summary>How many of its representative's best schedules a dependent task tries: <c>topN</c> (the N best)
/// or <c>P%</c> (the best P percent of the representative's valid trials, rounded up, at least one —
/// PR #4187's <c>min(1, ...)</c> made every percentage mean one config).</summary>
public sealed record DependMode
{
    private DependMode(string text, int? top, double? percent)
    {
        Text = text;
        Top = top;
        Percent = percent;
    }

    public string Text { get; }
    public int? Top { get; }
    public double? Percent { get; }

    public static DependMode Default { get; } = Parse("top10");

    /// <summary>Parses <c>top10</c> or <c>5%</c>; anything else (<c>top0</c>, <c>top-3</c>, <c>0%</c>,
    /// <c>150%</c>, <c>abc</c>) throws <see cref="FormatException"/> naming the value.</summary>
    public static DependMode Parse(string text)
    {
        var value = text?.Trim() ?? "";
        if (value.StartsWith("top", StringComparison.OrdinalIgnoreCase))
        {
            if (int.TryParse(value[3..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1)
                return new DependMode(value, n, null);
            throw new FormatException($"depend mode '{text}': topN needs a whole number N >= 1 (e.g. top10)");
        }
        if (value.EndsWith('%'))
        {
            if (double.TryParse(value[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) && p > 0 && p <= 100)
                return new DependMode(value, null, p);
            throw new FormatException($"depend mode '{text}': P% needs 0 < P <= 100 (e.g. 5%)");
        }
        throw new FormatException($"depend mode '{text}' is neither topN (e.g. top10) nor P% (e.g. 5%)");
    }

    /// <summary>How many configs to share out of <paramref name="validTrials"/> valid ones.</summary>
    public int Count(int validTrials)
    {
        if (validTrials <= 0) return 0;
        if (Top is { } n) return Math.Min(n, validTrials);
        return Math.Max(1, (int)Math.Ceiling(validTrials * Percent!.Value / 100 - 1e-9));
    }

    public override string ToString() => Text;
}
