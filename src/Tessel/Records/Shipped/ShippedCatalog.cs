using System.Collections.Concurrent;
using System.Reflection;
using Tessel.Workloads;

namespace Tessel.Records.Shipped;

/// <summary>The shipped files Tessel carries (embedded in its assembly, one per target it was tuned on: AutoTVM's
/// TopHub, without the download), each read once, on first use. A damaged file is skipped with a warning that names it:
/// tuning and running go on as if nothing were shipped for its target.</summary>
public sealed class ShippedCatalog
{
    /// <summary>What the Tessel assembly's shipped resources are called: this prefix, then <see cref="ShippedFile.NameFor"/>.</summary>
    public const string ResourcePrefix = "Tessel.Shipped.";

    private readonly IReadOnlyDictionary<string, Func<Stream>> files;
    private readonly ConcurrentDictionary<string, Lazy<ShippedRecords?>> loaded = new(StringComparer.Ordinal);

    /// <param name="files">each file's name and how to open it</param>
    public ShippedCatalog(IReadOnlyDictionary<string, Func<Stream>> files) => this.files = files;

    /// <summary>The files embedded in the Tessel assembly.</summary>
    public static ShippedCatalog Embedded { get; } = Of(typeof(ShippedCatalog).Assembly);

    public static ShippedCatalog Of(Assembly assembly) => new(assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .ToDictionary(n => n[ResourcePrefix.Length..], n => (Func<Stream>)(() => assembly.GetManifestResourceStream(n)!), StringComparer.Ordinal));

    public IReadOnlyList<string> Names => files.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The records shipped for <paramref name="target"/>; null where none are, or where its file is damaged
    /// (said once, through <paramref name="warn"/>) or was measured for another target than its name says.</summary>
    public ShippedRecords? For(Target target, Action<string>? warn = null)
    {
        var name = ShippedFile.NameFor(target);
        var records = Named(name, warn);
        if (records is null || records.Host.Target == target.Text) return records;
        warn?.Invoke($"shipped records {name}: measured for '{records.Host.Target}', not '{target.Text}'; not used");
        return null;
    }

    /// <summary>Every shipped file that reads, in name order; a damaged one is said through <paramref name="warn"/> and left out.</summary>
    public IReadOnlyList<ShippedRecords> All(Action<string>? warn = null) => Names.Select(n => Named(n, warn)).OfType<ShippedRecords>().ToList();

    /// <summary>The file of this name (one of <see cref="Names"/>), read on first use; null where there is none or it is damaged (said through <paramref name="warn"/>).</summary>
    public ShippedRecords? Named(string name, Action<string>? warn = null) =>
        files.TryGetValue(name, out var open)
            ? loaded.GetOrAdd(name, _ => new Lazy<ShippedRecords?>(() => Read(name, open, warn))).Value
            : null;

    private static ShippedRecords? Read(string name, Func<Stream> open, Action<string>? warn)
    {
        try
        {
            using var stream = open();
            return ShippedFile.Read(stream, name, warn);
        }
        catch (InvalidDataException e)
        {
            warn?.Invoke($"shipped records {e.Message}; not used");
            return null;
        }
    }
}
