using System.CommandLine;
using Spectre.Console;
using Tessel.Cli.Reports;
using Tessel.Cli.Terminal;
using Tessel.Records;
using Tessel.Experiments;
using Tessel.Tuning;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel compare MODEL</c>: full vs selective tuning of one model, the RFC's two columns. The side that tunes first
/// alternates with the seed (odd seeds and none: selective first), so runs over several seeds leave neither side always first.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var model = new ModelArgument();
        var sharing = new SharingOptions();
        var fullLog = new Option<string?>("--full-log") { Description = "Log of the full tuning (resumed if it exists); default MODEL-full.jsonl" };
        var selectiveLog = new Option<string?>("--selective-log") { Description = "Log of the selective tuning (resumed if it exists); default MODEL-selective.jsonl" };
        var json = new Option<bool>("--json") { Description = "Print {full, selective, time_used, time_used_trial_costs, achieved_perf} as JSON" };
        var timeBudget = TimeBudgetOption.Create("Tune the selective side");
        var tuning = new TuningOptions();
        var selection = new SelectionOptions();
        var report = new ReportOption();
        var command = new Command("compare", "Tune a model fully and selectively with the same tuner and seed, run it with each log, and compare")
        {
            fullLog, selectiveLog, json, timeBudget,
        };
        model.AddTo(command);
        tuning.AddTo(command);
        selection.AddTo(command);
        sharing.AddTo(command);
        report.AddTo(command);
        command.Options.Remove(tuning.Log);
        command.Options.Remove(tuning.Db);
        command.Options.Remove(tuning.Cluster);
        command.SetAction(async (parsed, ct) =>
        {
            var name = model.Name(parsed);
            var graph = model.Load(parsed);
            var stem = name.Replace("zoo:", "", StringComparison.OrdinalIgnoreCase);
            var logs = (Full: parsed.GetValue(fullLog) ?? $"{stem}-full.jsonl", Selective: parsed.GetValue(selectiveLog) ?? $"{stem}-selective.jsonl");
            var scheme = new ModelTuningOptions
            {
                MinSimilarity = selection.Threshold(parsed), Definition = selection.Definition(parsed), Sharing = sharing.Parse(parsed, selection.SchemeOf(parsed)),
            };
            var result = await ProgressBar.RunManyAsync(bar => SelectiveComparison.RunAsync(graph, scheme, tuning.Measure(parsed),
                (measurer, store) => tuning.Session(parsed, measurer, store, ct) with { Progress = (_, prefix, budget) => [bar(prefix, budget)] },
                logs.Full, logs.Selective, selectiveFirst: parsed.GetValue(tuning.Seed) is not { } seed || seed % 2 != 0,
                selectiveBudget: parsed.GetValue(timeBudget) is { } budget ? TimeBudgetOption.Parse(budget) : null));
            if (parsed.GetValue(json)) Consoles.WriteJson(result.ToJson());
            else
            {
                var table = new Table().AddColumns("", "wall clock s", "trial costs s", "trials", "latency ms");
                string Wall(ComparisonSide side) => $"{side.WallSeconds:F1}{(side.Resumed ? " (log's span)" : "")}";
                table.AddRow("full", Wall(result.Full), $"{result.Full.TuningSeconds:F1}", $"{result.Full.Trials}", $"{result.Full.LatencyMs:F2}");
                table.AddRow("selective", Wall(result.Selective), $"{result.Selective.TuningSeconds:F1}", $"{result.Selective.Trials}", $"{result.Selective.LatencyMs:F2}");
                Consoles.Out.Write(table);
                Consoles.Out.MarkupLine($"time used {result.TimeUsed:P0} by wall clock ({result.TimeUsedInTrialCosts:P0} in trial costs, {result.TrialsUsed:P0} in trials), achieved perf " +
                    $"{result.AchievedPerf:P0} ({result.Representatives} representatives of {result.Tasks} tasks; tuned {(result.SelectiveFirst ? "selective" : "full")} first)");
            }
            if (parsed.GetValue(report.Path) is { } page)
            {
                // The model was just timed with both logs, in turns: the page shows those latencies rather than timing again.
                var settings = ReportOption.Settings(parsed, tuning, selection, sharing) with { Selective = true };
                var onnx = model.OnnxBytes(parsed);
                ReportFile.Save(ReportBuilder.Build(name, graph, onnx, logs.Selective, RecordReader.Read(logs.Selective, Consoles.Warn), settings,
                    (logs.Full, RecordReader.Read(logs.Full, Consoles.Warn)), latencies: (result.Selective.LatencyMs, result.Full.LatencyMs)), page);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
