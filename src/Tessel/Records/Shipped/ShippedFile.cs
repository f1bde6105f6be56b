using System.IO.Compression;
using System.Text;
using Tessel.Workloads;

namespace Tessel.Records.Shipped;

/// <summary>The shipped format: a gzip-compressed tuning log (AutoTVM record v0.2 lines) whose first line is its
/// <see cref="ShippedHost"/> header, holding the fastest few records of each workload. Decompressed, it is a log
/// like any other (<c>tessel best</c> reads it; the header is a comment).</summary>
public static class ShippedFile
{
    /// <summary>The file name of a target's shipped records: its text with every run of other characters made one
    /// dash (<c>tessel-cpu -isa=avx512</c>: <c>tessel-cpu-isa-avx512.jsonl.gz</c>).</summary>
    public static string NameFor(Target target)
    {
        var slug = new StringBuilder();
        foreach (var c in target.Text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        return slug.ToString().TrimEnd('-') + ".jsonl.gz";
    }

    /// <summary>The fastest <paramref name="keep"/> valid records of each wanted workload on the target, in the order
    /// the workloads are wanted: what a shipped file holds of a log.</summary>
    public static IReadOnlyList<TuningRecord> BestOf(IEnumerable<TuningRecord> log, Target target, IEnumerable<Workload> wanted, int keep)
    {
        var best = new HistoryBest(log);
        return wanted.Distinct()
            .SelectMany(w => (best.Find(target, w)?.Fastest ?? []).Take(keep))
            .ToList();
    }

    public static void Write(Stream output, ShippedHost host, IEnumerable<TuningRecord> records)
    {
        using var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        writer.WriteLine(host.ToLine());
        foreach (var record in records)
        {
            if (record.Target != host.Target) throw new ArgumentException($"a record of {record.Target} in a file of {host.Target}", nameof(records));
            writer.WriteLine(record.ToJson().ToJsonString());
        }
    }

    /// <summary>Reads a shipped file. Not gzip, no header, or a damaged header: an <see cref="InvalidDataException"/> naming
    /// <paramref name="name"/>. A damaged record line is skipped with a warning, as a log's is, and a record of another
    /// target than the header's is left out with one.</summary>
    public static ShippedRecords Read(Stream compressed, string name, Action<string>? warn = null)
    {
        var bytes = compressed.CanSeek ? compressed.Length : -1;
        try
        {
            using var gzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            var header = reader.ReadLine() ?? throw new InvalidDataException($"{name}: empty: not a shipped records file");
            var host = ShippedHost.Parse(header, name);
            var records = RecordReader.Read(reader, name, warn, firstLine: 2);
            var foreign = records.Count(r => r.Target != host.Target);
            if (foreign > 0) warn?.Invoke($"{name}: {foreign} records of another target than its header's ({host.Target}) left out");
            return new ShippedRecords(name, host, foreign == 0 ? records : records.Where(r => r.Target == host.Target).ToList(), bytes);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(name, StringComparison.Ordinal))
        {
            // GZipStream's own complaint (not gzip, cut short) does not say which file.
            throw new InvalidDataException($"{name}: not a readable gzip file ({e.Message})", e);
        }
    }
}
