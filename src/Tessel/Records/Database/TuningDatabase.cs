using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Tessel.Measure;

namespace Tessel.Records.Database;

/// <summary>A SQLite tuning database: targets, workloads, configs and trials (<see cref="DatabaseSchema"/>), in
/// WAL mode so that readers never wait on the tuner and a killed tuner keeps every committed trial. It holds
/// the same records as a log (<see cref="Read"/> gives them back in the order written); importing a record
/// that is already there does nothing, so importing a log twice adds nothing.</summary>
public sealed class TuningDatabase : IRecordStore
{
    public TuningDatabase(string path)
    {
        Path = path;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using var connection = Open();
        DatabaseSchema.Ensure(connection);
    }

    public string Path { get; }

    public string Name => Path;

    public IReadOnlyList<TuningRecord> Read(Action<string>? warn = null)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT r.id, t.text, w.task_name, w.args, c.config_index, c.entity, r.costs, r.error_no, r.all_cost, r.timestamp, r.tool_version, r.remeasured
            FROM trials r
            JOIN targets t ON t.id = r.target_id
            JOIN configs c ON c.id = r.config_id
            JOIN workloads w ON w.id = c.workload_id
            ORDER BY r.id
            """;
        var records = new List<TuningRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            try
            {
                records.Add(new TuningRecord(
                    reader.GetString(1), reader.GetString(2), ParseArray(reader.GetString(3)), reader.GetInt64(4), ParseArray(reader.GetString(5)),
                    new MeasureResult(ParseCosts(reader.GetString(6)), (MeasureErrorNo)reader.GetInt32(7), reader.GetDouble(8), reader.GetDouble(9)),
                    reader.IsDBNull(10) ? null : reader.GetString(10), reader.GetInt64(11) != 0));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidCastException or InvalidOperationException)
            {
                warn?.Invoke($"{Path}: trial {reader.GetInt64(0)} skipped: {e.Message}");
            }
        }
        return records;
    }

    public IRecordAppender OpenAppender() => new DatabaseAppender(Open());

    /// <summary>Adds records in one transaction; those already present are skipped and counted.</summary>
    public (int Added, int AlreadyPresent) Import(IEnumerable<TuningRecord> records)
    {
        using var appender = new DatabaseAppender(Open());
        return appender.AppendAll(records);
    }

    internal SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            // WAL: the tuner appends while other processes read; synchronous=NORMAL loses nothing when a process is
            // killed (the WAL is in the OS's cache), only on power loss, and skips an fsync per trial.
            pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new InvalidDataException($"{Path}: not a usable tuning database: {e.Message}", e);
        }
    }

    private static JsonArray ParseArray(string text) =>
        JsonNode.Parse(text) as JsonArray ?? throw new FormatException($"expected a JSON array, got {text}");

    private static double[] ParseCosts(string text) =>
        ParseArray(text).Select(c => c?.GetValue<double>() ?? throw new FormatException("a cost is null")).ToArray();
}
