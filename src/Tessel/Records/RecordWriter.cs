using System.Text;

namespace Tessel.Records;

/// <summary>Appends records to a log, one JSON line per trial, flushed to the OS per line so that
/// everything written survives the tuner being killed.</summary>
public sealed class RecordWriter : IRecordAppender
{
    private readonly FileStream stream;

    public RecordWriter(string path)
    {
        Path = path;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        // A log whose last line was cut by a kill gets a newline first, so the next record starts clean.
        if (stream.Length > 0 && LastByte(path) != (byte)'\n') Write("\n");
    }

    public string Path { get; }

    public void Append(TuningRecord record) => Write(record.ToJson().ToJsonString() + "\n");

    public void Dispose() => stream.Dispose();

    private void Write(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        lock (stream)
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: false);
        }
    }

    private static int LastByte(string path)
    {
        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (read.Length == 0) return -1;
        read.Seek(-1, SeekOrigin.End);
        return read.ReadByte();
    }
}
