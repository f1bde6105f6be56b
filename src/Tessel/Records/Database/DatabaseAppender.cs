using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Tessel.Records.Database;

/// <summary>Writes records into a <see cref="TuningDatabase"/> over one connection: each
/// <see cref="Append"/> is its own transaction (committed, so durable, when it returns); ids of targets,
/// workloads and configs are looked up once and remembered.</summary>
internal sealed class DatabaseAppender : IRecordAppender
{
    private readonly SqliteConnection connection;
    private readonly Dictionary<string, long> targets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> workloads = new(StringComparer.Ordinal);
    private readonly Dictionary<(long Workload, string Entity), long> configs = [];

    public DatabaseAppender(SqliteConnection connection) => this.connection = connection;

    public void Append(TuningRecord record) => AppendAll([record]);

    public (int Added, int AlreadyPresent) AppendAll(IEnumerable<TuningRecord> records)
    {
        lock (connection)
        {
            using var transaction = connection.BeginTransaction();
            int added = 0, present = 0;
            try
            {
                foreach (var record in records)
                    if (Insert(record, transaction)) added++; else present++;
                transaction.Commit();
            }
            catch
            {
                // Ids remembered inside the rolled-back transaction no longer exist.
                targets.Clear(); workloads.Clear(); configs.Clear();
                throw;
            }
            return (added, present);
        }
    }

    public void Dispose() => connection.Dispose();

    private bool Insert(TuningRecord record, SqliteTransaction transaction)
    {
        var target = IdOf(targets, record.Target, transaction,
            "INSERT INTO targets (text) VALUES ($a) ON CONFLICT (text) DO NOTHING", "SELECT id FROM targets WHERE text = $a", record.Target);
        var workload = IdOf(workloads, record.Workload.Key, transaction,
            "INSERT INTO workloads (key, task_name, args) VALUES ($a, $b, $c) ON CONFLICT (key) DO NOTHING", "SELECT id FROM workloads WHERE key = $a",
            record.Workload.Key, record.TaskName, record.Args.ToJsonString());
        var entity = record.Entity.ToJsonString();
        if (!configs.TryGetValue((workload, entity), out var config))
        {
            Execute(transaction, "INSERT INTO configs (workload_id, entity, config_index) VALUES ($a, $b, $c) ON CONFLICT (workload_id, entity) DO NOTHING",
                workload, entity, record.ConfigIndex);
            config = Scalar(transaction, "SELECT id FROM configs WHERE workload_id = $a AND entity = $b", workload, entity);
            configs[(workload, entity)] = config;
        }
        var costs = new JsonArray(record.Result.Costs.Select(c => (JsonNode)c).ToArray()).ToJsonString();
        return Execute(transaction, """
            INSERT INTO trials (target_id, config_id, costs, error_no, all_cost, timestamp, tool_version, remeasured) VALUES ($a, $b, $c, $d, $e, $f, $g, $h)
            ON CONFLICT (target_id, config_id, timestamp, error_no, costs) DO NOTHING
            """, target, config, costs, (int)record.Result.ErrorNo, record.Result.AllCost, record.Result.Timestamp, record.ToolVersion, record.Remeasured ? 1 : 0) == 1;
    }

    private long IdOf(Dictionary<string, long> cache, string key, SqliteTransaction transaction, string insert, string select, params object?[] values)
    {
        if (cache.TryGetValue(key, out var id)) return id;
        Execute(transaction, insert, values);
        return cache[key] = Scalar(transaction, select, values[0]);
    }

    private int Execute(SqliteTransaction transaction, string sql, params object?[] values)
    {
        using var command = Command(transaction, sql, values);
        return command.ExecuteNonQuery();
    }

    private long Scalar(SqliteTransaction transaction, string sql, params object?[] values)
    {
        using var command = Command(transaction, sql, values);
        return (long)command.ExecuteScalar()!;
    }

    private SqliteCommand Command(SqliteTransaction transaction, string sql, object?[] values)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++) command.Parameters.AddWithValue("$" + (char)('a' + i), values[i] ?? DBNull.Value);
        return command;
    }
}
