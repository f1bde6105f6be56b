namespace Tessel.Bench;

/// <summary>The <c>--only</c> filter of every suite: comma-separated parts (case-insensitive), each naming
/// one item exactly or, when no item has that name, every item whose name contains it
/// (<c>resnet50_v1</c> is the classifier, not also the SSD built on it; <c>ppocr</c> is both OCR models).
/// No filter keeps everything.</summary>
public static class NameFilter
{
    public static List<T> Apply<T>(string? only, IEnumerable<T> items, Func<T, string> name)
    {
        var all = items.ToList();
        if (only is null) return all;
        var parts = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool Exact(string part, T item) => string.Equals(name(item), part, StringComparison.OrdinalIgnoreCase);
        return all.Where(item => parts.Any(part => all.Any(i => Exact(part, i))
            ? Exact(part, item)
            : name(item).Contains(part, StringComparison.OrdinalIgnoreCase))).ToList();
    }
}
