namespace Tessel.Records;

/// <summary>A JSON-lines tuning log (AutoTVM record v0.2) as a record store.</summary>
public sealed record LogFile(string Path) : IRecordStore
{
    public string Name => Path;

    public IReadOnlyList<TuningRecord> Read(Action<string>? warn = null) => RecordReader.Read(Path, warn);

    public IRecordAppender OpenAppender() => new RecordWriter(Path);
}
