using Microsoft.Data.Sqlite;

namespace Tessel.Records.Database;

/// <summary>The tuning database's tables: a trial is one measurement of one config of one workload on one
/// target. Workloads are keyed by their canonical JSON (<see cref="Workloads.Workload.Key"/>) and configs by
/// their knob values, as in a log; a trial is unique by what was measured and when, so re-importing a log
/// adds nothing. Version 2 adds a trial's <c>remeasured</c> flag (<see cref="TuningRecord.Remeasured"/>); a version-1 database
/// is brought up to it when opened.</summary>
internal static class DatabaseSchema
{
    public const int Version = 2;

    public static void Ensure(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(command.ExecuteScalar());
        if (version > Version)
            throw new InvalidDataException($"{connection.DataSource}: written by a newer Tessel (schema {version}; this one reads {Version})");
        if (version == Version) return;
        if (version == 1)
        {
            command.CommandText = $"BEGIN; ALTER TABLE trials ADD COLUMN remeasured INTEGER NOT NULL DEFAULT 0; PRAGMA user_version = {Version}; COMMIT;";
            command.ExecuteNonQuery();
            return;
        }
        command.CommandText = $"""
            BEGIN;
            CREATE TABLE IF NOT EXISTS targets (
                id INTEGER PRIMARY KEY,
                text TEXT NOT NULL UNIQUE);
            CREATE TABLE IF NOT EXISTS workloads (
                id INTEGER PRIMARY KEY,
                key TEXT NOT NULL UNIQUE,
                task_name TEXT NOT NULL,
                args TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS configs (
                id INTEGER PRIMARY KEY,
                workload_id INTEGER NOT NULL REFERENCES workloads(id),
                entity TEXT NOT NULL,
                config_index INTEGER NOT NULL,
                UNIQUE (workload_id, entity));
            CREATE TABLE IF NOT EXISTS trials (
                id INTEGER PRIMARY KEY,
                target_id INTEGER NOT NULL REFERENCES targets(id),
                config_id INTEGER NOT NULL REFERENCES configs(id),
                costs TEXT NOT NULL,
                error_no INTEGER NOT NULL,
                all_cost REAL NOT NULL,
                timestamp REAL NOT NULL,
                tool_version TEXT,
                remeasured INTEGER NOT NULL DEFAULT 0,
                UNIQUE (target_id, config_id, timestamp, error_no, costs));
            PRAGMA user_version = {Version};
            COMMIT;
            """;
        command.ExecuteNonQuery();
    }
}
