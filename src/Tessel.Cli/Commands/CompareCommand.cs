using System.CommandLine;
using Spectre.Console;
using Tessel.Cli.Terminal;
using Tessel.Experiments;
using Tessel.Selective;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel compare MODEL</c>: full vs selective tuning of one model, the RFC's two columns.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var model = new ModelArgument();
        var dependMode = DependModeOption.Create("--depend-mode", "Shared schedules per dependent task: topN or P%", "top10");
        var sharePool = DependModeOption.SharePool();
        var refine = RefineOption.Create();
        var fullLog = new Option<string?>("--full-log") { Description = "Log of the full tuning (resumed if it exists); default MODEL-full.jsonl" };
        var selectiveLog = new Option<string?>("--selective-log") { Description = "Log of the selective tuning (resumed if it exists); default MODEL-selective.jsonl" };
        var json = new Option<bool>("--json") { Description = "Print {full, selective, time_used, achieved_perf} as JSON" };
        var tuning = new TuningOptions();
        var selection = new SelectionOptions();
        var command = new Command("compare", "Tune a model fully and selectively with the same tuner and seed, run it with each log, and compare")
        {
            dependMode, sharePool, refine, fullLog, selectiveLog, json,
        };
        model.AddTo(command);
        tuning.AddTo(command);
        selection.AddTo(command);
        command.Options.Remove(tuning.Log);
        command.Options.Remove(tuning.Db);
        command.Options.Remove(tuning.Cluster);
        command.SetAction(async (parsed, ct) =>
        {
            var name = model.Name(parsed);
            var graph = model.Load(parsed);
            var stem = name.Replace("zoo:", "", StringComparison.OrdinalIgnoreCase);
            var options = new SelectiveTuningOptions
            {
                Tune = tuning.Tune(parsed), Tuner = parsed.GetValue(tuning.Tuner)!, Seed = parsed.GetValue(tuning.Seed),
                DependMode = DependMode.Parse(parsed.GetValue(dependMode)!),
                SharePool = DependModeOption.Parse(parsed.GetValue(sharePool)),
                Refine = parsed.GetValue(refine),
            };
            var result = await ProgressBar.RunManyAsync(bar => SelectiveComparison.RunAsync(graph, options,
                parsed.GetValue(selection.MinSimilarity), selection.Definition(parsed),
                parsed.GetValue(fullLog) ?? $"{stem}-full.jsonl", parsed.GetValue(selectiveLog) ?? $"{stem}-selective.jsonl",
                (task, prefix, budget) => [bar(prefix, budget)], Consoles.Warn, cancellationToken: ct));
            if (parsed.GetValue(json)) Consoles.WriteJson(result.ToJson());
            else
            {
                var table = new Table().AddColumns("", "tuning s", "trials", "latency ms");
                table.AddRow("full", $"{result.Full.TuningSeconds:F1}", $"{result.Full.Trials}", $"{result.Full.LatencyMs:F2}");
                table.AddRow("selective", $"{result.Selective.TuningSeconds:F1}", $"{result.Selective.Trials}", $"{result.Selective.LatencyMs:F2}");
                Consoles.Out.Write(table);
                Consoles.Out.MarkupLine($"time used {result.TimeUsed:P0} (trials {result.TrialsUsed:P0}), achieved perf {result.AchievedPerf:P0} ({result.Representatives} representatives of {result.Tasks} tasks)");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
