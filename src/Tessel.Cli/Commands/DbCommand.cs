using System.CommandLine;
using Spectre.Console;
using Tessel.Cli.Terminal;
using Tessel.Records;
using Tessel.Records.Database;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel db import|export|best</c>: the tuning database (SQLite). Logs stay the interchange format:
/// import them, export a workload's records back to one; <c>tune --db</c> and <c>run --db</c> use it directly.</summary>
public static class DbCommand
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "The tuning database (SQLite; created if missing)", DefaultValueFactory = _ => "tessel.db" };
        var command = new Command("db", "Keep tuning records in a SQLite database: import logs, export workloads, list the best configs")
        {
            Import(db), Export(db), Best(db),
        };
        return command;
    }

    private static Command Import(Option<string> db)
    {
        var logs = new Argument<string[]>("logs") { Description = "Tuning logs to add (Tessel's or AutoTVM's v0.2 records)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("import", "Add the records of logs to the database; records already in it are not added twice") { logs, db };
        command.SetAction(parsed =>
        {
            var database = new TuningDatabase(parsed.GetValue(db)!);
            foreach (var path in parsed.GetValue(logs)!)
            {
                if (!File.Exists(path)) throw new UsageException($"log '{path}' does not exist");
                var (added, present) = database.Import(RecordReader.Read(path, Consoles.Warn));
                Consoles.Error.WriteLine($"{path}: {added} records added, {present} already in {database.Path}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Export(Option<string> db)
    {
        var log = new Argument<string>("log") { Description = "The log to write (replaced if it exists)" };
        var workloads = new Option<string[]>("--workload")
        {
            Description = "Only these workloads: a task name (conv2d_nchw.x86: all its workloads) or a workload's args as 'db best --json' prints them; repeatable",
        };
        var command = new Command("export", "Write the database's records (of some workloads) to a log") { log, workloads, db };
        command.SetAction(parsed =>
        {
            var database = ExistingDatabase(parsed.GetValue(db)!);
            var wanted = parsed.GetValue(workloads) ?? [];
            var records = database.Read(Consoles.Warn).Where(r => wanted.Length == 0 || wanted.Any(w => Matches(r, w))).ToList();
            if (records.Count == 0 && wanted.Length > 0)
                throw new UsageException($"no records of {string.Join(", ", wanted.Select(w => $"'{w}'"))} in {database.Path}");
            var path = parsed.GetValue(log)!;
            File.Delete(path);
            using (var writer = new RecordWriter(path))
                foreach (var record in records) writer.Append(record);
            Consoles.Error.WriteLine($"{path}: {records.Count} records of {records.Select(r => r.WorkloadKey).Distinct().Count()} workloads");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Best(Option<string> db)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array, one object per workload (as 'tessel best --json')" };
        var command = new Command("best", "List the best config of every workload in the database") { json, db };
        command.SetAction(parsed =>
        {
            var database = ExistingDatabase(parsed.GetValue(db)!);
            BestCommand.Show(new HistoryBest(database.Read(Consoles.Warn)), parsed.GetValue(json), sourceDirectory: null);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static TuningDatabase ExistingDatabase(string path) =>
        File.Exists(path) ? new TuningDatabase(path) : throw new UsageException($"database '{path}' does not exist (create one with 'tessel db import' or 'tessel tune --db')");

    /// <summary>A task name matches all its workloads; args match as JSON, whatever the spacing.</summary>
    private static bool Matches(TuningRecord record, string wanted)
    {
        if (record.TaskName == wanted) return true;
        var text = Compact(wanted);
        return text == Compact(record.Args.ToJsonString()) || text == Compact(record.Workload.Key);
    }

    private static string Compact(string json) => string.Concat(json.Where(c => !char.IsWhiteSpace(c)));
}
