namespace Tessel.Records;

/// <summary>Reads a tuning log. Blank lines and <c>#</c> comments are skipped; a truncated or corrupt
/// line is skipped with a warning naming the file and line, and everything else still loads.</summary>
public static class RecordReader
{
    public static IReadOnlyList<TuningRecord> Read(string path, Action<string>? warn = null)
    {
        if (!File.Exists(path)) return [];
        var records = new List<TuningRecord>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var number = 0;
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
                warn?.Invoke($"{path}:{number}: skipped: {e.Message}");
            }
        }
        return records;
    }
}
