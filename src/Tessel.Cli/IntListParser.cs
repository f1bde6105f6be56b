namespace Tessel.Cli;

/// <summary>Parses shapes and per-axis values written as <c>1,64,56,56</c>.</summary>
public static class IntListParser
{
    public static int[] Parse(string option, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new UsageException($"{option}: a comma-separated list of integers is required");
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out values[i]))
                throw new UsageException($"{option}: '{parts[i]}' in '{text}' is not an integer");
        return values;
    }

    /// <summary>One value for both spatial axes, or one per axis.</summary>
    public static int[] PerAxis(string option, string text, int axes = 2)
    {
        var values = Parse(option, text);
        if (values.Length == 1) return Enumerable.Repeat(values[0], axes).ToArray();
        if (values.Length == axes) return values;
        throw new UsageException($"{option}: expected 1 or {axes} values, got '{text}'");
    }

    /// <summary>Padding: one value for all sides, (h, w), or (top, left, bottom, right).</summary>
    public static int[] Padding(string option, string text)
    {
        var values = Parse(option, text);
        return values.Length switch
        {
            1 => [values[0], values[0], values[0], values[0]],
            2 => [values[0], values[1], values[0], values[1]],
            4 => values,
            _ => throw new UsageException($"{option}: expected 1, 2 (h,w) or 4 (top,left,bottom,right) values, got '{text}'"),
        };
    }
}
