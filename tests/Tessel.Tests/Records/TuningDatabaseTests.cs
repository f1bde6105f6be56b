using Tessel.Tuning;
using Microsoft.Data.Sqlite;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Records.Database;
using Tessel.Tests.Support;
using Tessel.Tuners;

namespace Tessel.Tests.Records;

public sealed class TuningDatabaseTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessel-db-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string File(string name) => Path.Combine(directory, name);

    private static readonly string AutotvmLog = TestData.AutotvmLog;

    [Fact]
    public void Imported_records_read_back_unchanged_in_order_and_a_second_import_adds_nothing()
    {
        var records = RecordReader.Read(AutotvmLog);
        var database = new TuningDatabase(File("t.db"));

        Assert.Equal((records.Count, 0), database.Import(records));
        Assert.Equal((0, records.Count), database.Import(records));

        var read = database.Read();
        Assert.Equal(records.Select(r => r.ToJson().ToJsonString()), read.Select(r => r.ToJson().ToJsonString()));
    }

    [Fact]
    public void The_database_runs_in_wal_mode_with_its_schema_version()
    {
        _ = new TuningDatabase(File("t.db"));
        using var connection = new SqliteConnection($"Data Source={File("t.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "PRAGMA user_version";
        Assert.Equal(2L, command.ExecuteScalar());
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read()) tables.Add(reader.GetString(0));
        Assert.Equal(["configs", "targets", "trials", "workloads"], tables);
    }

    /// <summary>A re-measurement keeps its mark through a log and a database, and a database written before the mark
    /// existed (schema 1) takes it when opened, its trials kept.</summary>
    [Fact]
    public void A_remeasured_record_keeps_its_mark_in_a_log_and_in_a_database_even_one_of_schema_1()
    {
        var plain = RecordReader.Read(AutotvmLog)[0];
        var again = plain with { Remeasured = true, Result = plain.Result with { Timestamp = plain.Result.Timestamp + 1 } };
        Assert.Contains("\"remeasured\":true", again.ToJson().ToJsonString());
        Assert.DoesNotContain("remeasured", plain.ToJson().ToJsonString());
        Assert.True(RecordParser.Parse(again.ToJson().ToJsonString()).Remeasured);

        using (var connection = new SqliteConnection($"Data Source={File("old.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE targets (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
                CREATE TABLE workloads (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, task_name TEXT NOT NULL, args TEXT NOT NULL);
                CREATE TABLE configs (id INTEGER PRIMARY KEY, workload_id INTEGER NOT NULL REFERENCES workloads(id), entity TEXT NOT NULL,
                    config_index INTEGER NOT NULL, UNIQUE (workload_id, entity));
                CREATE TABLE trials (id INTEGER PRIMARY KEY, target_id INTEGER NOT NULL REFERENCES targets(id), config_id INTEGER NOT NULL REFERENCES configs(id),
                    costs TEXT NOT NULL, error_no INTEGER NOT NULL, all_cost REAL NOT NULL, timestamp REAL NOT NULL, tool_version TEXT,
                    UNIQUE (target_id, config_id, timestamp, error_no, costs));
                PRAGMA user_version = 1;
                """;
            command.ExecuteNonQuery();
        }
        var database = new TuningDatabase(File("old.db"));
        Assert.Equal((2, 0), database.Import([plain, again]));
        Assert.Equal([false, true], database.Read().Select(r => r.Remeasured));
    }

    [Fact]
    public async Task Tuning_into_the_database_resumes_from_it_like_a_log()
    {
        var database = new TuningDatabase(File("t.db"));
        var task = ToyTemplate.Task();
        var first = new StandInMeasurer();
        await TaskTuning.RunAsync(task, new RandomTuner(task.Space, 1), first, new TuneOptions { Trials = 20, BatchSize = 8 }, database);
        Assert.Equal(20, first.Measured.Count);

        var again = new StandInMeasurer();
        var result = await TaskTuning.RunAsync(task, new RandomTuner(task.Space, 1), again, new TuneOptions { Trials = 30, BatchSize = 8 }, database);
        Assert.Equal(10, again.Measured.Count);
        Assert.Equal(30, result.Trials);
        var records = database.Read();
        Assert.Equal(30, records.Count);
        Assert.Equal(30, records.Select(r => r.ConfigIndex).Distinct().Count());

        // The history best of the database is the history best of the same records as a log.
        var log = File("export.jsonl");
        using (var writer = new RecordWriter(log))
            foreach (var record in records) writer.Append(record);
        var fromLog = HistoryBest.Load(log).Find(task.Target, task.Workload)!;
        var fromDatabase = new HistoryBest(records).Find(task.Target, task.Workload)!;
        Assert.Equal(fromLog.Best!.ConfigIndex, fromDatabase.Best!.ConfigIndex);
        Assert.Equal(result.BestSeconds, fromDatabase.MeanSeconds);
    }

    [Fact]
    public void A_damaged_row_is_skipped_with_a_warning_and_the_others_still_load()
    {
        var database = new TuningDatabase(File("t.db"));
        database.Import(RecordReader.Read(AutotvmLog));
        using (var connection = new SqliteConnection($"Data Source={File("t.db")}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE trials SET costs = '[0.1, ' WHERE id = 2";
            command.ExecuteNonQuery();
        }
        var warnings = new List<string>();
        var records = database.Read(warnings.Add);
        Assert.Equal(RecordReader.Read(AutotvmLog).Count - 1, records.Count);
        Assert.Contains($"{File("t.db")}: trial 2 skipped", Assert.Single(warnings));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_by_name_and_left_untouched()
    {
        var log = File("a.jsonl");
        System.IO.File.Copy(AutotvmLog, log);
        var before = System.IO.File.ReadAllBytes(log);
        var error = Assert.Throws<InvalidDataException>(() => new TuningDatabase(log));
        Assert.Contains(log, error.Message);
        Assert.Equal(before, System.IO.File.ReadAllBytes(log));
    }

    [Fact]
    public void Appends_from_loops_side_by_side_all_land()
    {
        var database = new TuningDatabase(File("t.db"));
        var task = ToyTemplate.Task();
        using (var appender = database.OpenAppender())
            Parallel.For(0, 64, i => appender.Append(TuningRecord.From(new MeasureInput(task, task.Space.Get(i)),
                new MeasureResult([1e-3 + i * 1e-6], MeasureErrorNo.NoError, 0.1, 1700000000 + i))));
        Assert.Equal(Enumerable.Range(0, 64).Select(i => (long)i), database.Read().Select(r => r.ConfigIndex).Order());
    }
}
