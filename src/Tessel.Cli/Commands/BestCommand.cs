using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tessel.Cli.Terminal;
using Tessel.Records;
using Tessel.Templates;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel best</c>: the fastest valid config per workload of one or more logs.</summary>
public static class BestCommand
{
    public static Command Create()
    {
        var logs = new Argument<string[]>("logs") { Description = "Tuning logs (Tessel's or AutoTVM's v0.2 records)", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print a JSON array, one object per workload" };
        var source = new Option<string?>("--source") { Description = "Also write the generated C# kernel of each best config into this directory" };
        var command = new Command("best", "List the best config of every workload in tuning logs") { logs, json, source };
        command.SetAction(parsed =>
        {
            var paths = parsed.GetValue(logs)!;
            foreach (var path in paths)
                if (!File.Exists(path)) throw new UsageException($"log '{path}' does not exist");
            Show(new HistoryBest(paths.SelectMany(p => RecordReader.Read(p, Consoles.Warn))), parsed.GetValue(json), parsed.GetValue(source));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Prints the best config per workload (a table, or JSON); with a directory, writes their kernels' source there too.</summary>
    public static void Show(HistoryBest history, bool json, string? sourceDirectory)
    {
        var rows = history.Workloads.Select(Describe).ToList();
        if (sourceDirectory is not null) WriteSources(history, sourceDirectory);
        if (json) Consoles.WriteJson(new JsonArray(rows.ToArray<JsonNode?>()));
        else Print(rows);
    }

    private static JsonObject Describe(WorkloadBest entry)
    {
        var best = entry.Best;
        var template = TemplateRegistry.Find(entry.First.TaskName);
        double? meanMs = best is null ? null : best.Result.MeanCost * 1e3;
        double? gflops = best is not null && template is not null ? template.Flops(entry.First.Workload) / best.Result.MeanCost / 1e9 : null;
        return new JsonObject
        {
            ["task"] = entry.First.TaskName,
            ["target"] = entry.First.Target,
            ["workload"] = entry.First.Args.DeepClone(),
            ["config"] = best is null ? null : new JsonObject { ["index"] = best.ConfigIndex, ["code_hash"] = null, ["entity"] = best.Entity.DeepClone() },
            ["mean_ms"] = meanMs,
            // The spread of the best config's repeats (each the mean of one timed repeat), as stored in its record.
            ["min_ms"] = best is null ? null : best.Result.MinCost * 1e3,
            ["median_ms"] = best is null ? null : best.Result.MedianCost * 1e3,
            ["max_ms"] = best is null ? null : best.Result.Costs.Max() * 1e3,
            ["gflops"] = gflops,
            ["trials"] = entry.Trials,
            ["errors"] = entry.Errors,
        };
    }

    /// <summary>One file per workload with a valid best config, named by task and position in the log:
    /// the exact source the tuner compiled and measured, to read or to study.</summary>
    private static void WriteSources(HistoryBest history, string directory)
    {
        Directory.CreateDirectory(directory);
        var n = 0;
        foreach (var entry in history.Workloads)
        {
            n++;
            if (entry.Best is not { } best || TemplateRegistry.Find(entry.First.TaskName) is not { } template) continue;
            Tasks.TuningTask task;
            try { task = Tasks.TuningTask.OfRecorded(template, entry.First.Workload, new Workloads.Target(entry.First.Target)); }
            catch (FormatException e)
            {
                Consoles.Warn($"{e.Message}; no source written");
                continue;
            }
            if (best.ConfigIn(task.Space) is not { } config)
            {
                Consoles.Warn($"{entry.First.TaskName} {entry.First.Args.ToJsonString()}: the best config does not fit the template's space today (a log from an older Tessel or another tool); " +
                    $"no source written");
                continue;
            }
            var className = $"{entry.First.TaskName.Split('.')[0]}_{n}";
            var path = Path.Combine(directory, className + ".cs");
            File.WriteAllText(path, template.EmitKernel(task.Workload, config, className));
            Consoles.PlainError.WriteLine($"wrote {path}");
        }
    }

    private static void Print(IReadOnlyList<JsonObject> rows)
    {
        var table = new Table().AddColumns("task", "workload", "mean ms", "min / median / max ms", "GFLOP/s", "trials", "errors");
        foreach (var row in rows)
            table.AddRow(
                Markup.Escape(row["task"]!.ToString()),
                Markup.Escape(row["workload"]!.ToJsonString()),
                row["mean_ms"] is { } ms ? $"{ms.GetValue<double>():F4}" : "-",
                row["min_ms"] is { } lo ? $"{lo.GetValue<double>():F4} / {row["median_ms"]!.GetValue<double>():F4} / {row["max_ms"]!.GetValue<double>():F4}" : "-",
                row["gflops"] is { } g ? $"{g.GetValue<double>():F1}" : "-",
                row["trials"]!.ToString(),
                row["errors"]!.ToString());
        Consoles.Out.Write(table);
    }
}
