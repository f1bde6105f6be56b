using System.CommandLine;
using Tessel.Cli.Terminal;
using Tessel.Records;
using Tessel.Records.Database;

namespace Tessel.Cli.Commands;

/// <summary>The <c>--log</c> or <c>--db</c> whose history best configs a model's kernels use (<c>run</c>, <c>build</c>),
/// read once, with the warning when it holds nothing for the model.</summary>
public sealed class HistoryOptions
{
    public Option<string?> Log { get; } = new("--log") { Description = "Tuning log whose history best configs the kernels use (default configs where it has none)" };

    public Option<string?> Db { get; } = new("--db") { Description = "Tuning database whose history best configs the kernels use, instead of --log" };

    public void AddTo(Command command)
    {
        command.Options.Add(Log);
        command.Options.Add(Db);
    }

    /// <summary>The store given, if any.</summary>
    public string? Path(ParseResult parsed) => parsed.GetValue(Log) ?? parsed.GetValue(Db);

    public HistoryBest? Load(ParseResult parsed) => Records(parsed) is { } records ? new HistoryBest(records) : null;

    /// <summary>Every record of the store given (null where none was).</summary>
    public IReadOnlyList<TuningRecord>? Records(ParseResult parsed)
    {
        var (log, db) = (parsed.GetValue(Log), parsed.GetValue(Db));
        if (log is not null && db is not null) throw new UsageException("give --log or --db, not both");
        var path = log ?? db;
        if (path is null) return null;
        if (!File.Exists(path)) throw new UsageException($"{(log is null ? "database" : "log")} '{path}' does not exist");
        IRecordStore store = log is null ? new TuningDatabase(path) : new LogFile(path);
        return store.Read(Consoles.Warn);
    }

    /// <summary>Says so when the store given held no record for any of the model's workloads.</summary>
    public void WarnIfUnused(ParseResult parsed, int kernelsFromLog)
    {
        if (Path(parsed) is { } store && kernelsFromLog == 0)
            Consoles.Warn($"{store} holds no record for this model's workloads on this machine: every kernel runs a shipped, similar or default config");
    }
}
