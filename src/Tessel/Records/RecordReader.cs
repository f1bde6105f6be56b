namespace Tessel.Records;

/// <summary>Reads a tuning log. Blank lines and <c>#</c> comments are skipped; a truncated or corrupt
/// line is skipped with a warning naming the file and line, and everything else still loads.</summary>
public static class RecordReader
{
    public static IReadOnlyList<TuningRecord> Read(string path, Action<string>? warn = null)
    {
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return Read(reader, path, warn);
    }

    /// <summary>The records of a log already open (a shipped file, decompressed); warnings name it <paramref name="name"/>
    /// and count lines from <paramref name="firstLine"/>.</summary>
    public static IReadOnlyList<TuningRecord> Read(TextReader reader, string name, Action<string>? warn = null, int firstLine = 1)
    {
        var records = new List<TuningRecord>();
        var number = firstLine - 1;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            try
            {
                var record = RecordParser.Parse(text);
                // A cost that is not a finite number (AutoTVM writes error details there) leaves the record unusable as a timing.
                if (record.Result.Costs.Any(c => !double.IsFinite(c))) record = record with { Result = record.Result with { Costs = [] } };
                records.Add(record);
            }
            catch (FormatException e)
            {
                warn?.Invoke($"{name}:{number}: skipped: {e.Message}");
            }
        }
        return records;
    }
}
