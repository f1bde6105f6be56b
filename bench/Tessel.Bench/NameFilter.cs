namespace Tessel.Bench;

/// <summary>The <c>--only</c> filter of every suite: names containing any of its comma-separated parts
/// (case-insensitive); no filter keeps everything.</summary>
public static class NameFilter
{
    public static bool Keeps(string? only, string name) =>
        only is null || only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));
}
