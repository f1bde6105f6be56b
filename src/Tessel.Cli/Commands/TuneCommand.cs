using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tessel.Cli.Reports;
using Tessel.Cli.Terminal;
using Tessel.Scheduling;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Tuning;
using Tessel.Workloads;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel tune MODEL [--selective]</c>: tunes every task of a model into one log — in full, or
/// selectively (the RFC's two passes: representatives in full, then the others from shared schedules).</summary>
public static class TuneCommand
{
    public static Command Create()
    {
        var model = new ModelArgument();
        var selective = new Option<bool>("--selective") { Description = "Tune representatives in full and share their best schedules with similar tasks" };
        var sharing = new SharingOptions();
        var json = new Option<bool>("--json") { Description = "Print the outcome per task as JSON" };
        var skipTuned = new Option<int?>("--skip-tuned")
        {
            Description = "Do not tune a task whose workload already has this many valid trials in the log or database (from any model)",
        };
        skipTuned.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1 and var v) r.AddError($"--skip-tuned must be >= 1, got {v}"); });
        var shareTuned = new Option<bool>("--share-tuned")
        {
            Description = "A task with no record tries the best schedules (--depend-mode) of the most similar workload already tuned in the log or database, e.g. by another model",
        };
        var strategy = new Option<string>("--strategy")
        {
            Description = "How the budget (--trials x tasks tuned in full) is spread: sequential (each task's trials in turn), round-robin (rounds of --batch-size in turn) or gradient (rounds " +
                "to the task that cuts model latency most, Ansor's scheduler)",
            DefaultValueFactory = _ => "sequential",
        };
        strategy.Validators.Add(r =>
        {
            try { SchedulingStrategies.Parse(r.GetValueOrDefault<string>()); }
            catch (FormatException e) { r.AddError("--strategy: " + e.Message); }
        });
        var tuning = new TuningOptions();
        var selection = new SelectionOptions();
        var report = new ReportOption();
        var command = new Command("tune", "Tune every task of a model (the trial budget is per task); --selective tunes only representatives in full")
        {
            selective, json, strategy, skipTuned, shareTuned,
        };
        model.AddTo(command);
        tuning.AddTo(command);
        selection.AddTo(command);
        sharing.AddTo(command);
        report.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            var tasks = model.Tasks(parsed);
            var store = tuning.Store(parsed);
            var options = new ModelTuningOptions
            {
                Selective = parsed.GetValue(selective),
                MinSimilarity = parsed.GetValue(selection.MinSimilarity),
                Definition = selection.Definition(parsed),
                Sharing = sharing.Parse(parsed),
                SkipTuned = parsed.GetValue(skipTuned),
                ShareTuned = parsed.GetValue(shareTuned),
            };
            var clock = Stopwatch.StartNew();
            await using var measurer = await tuning.MeasurerAsync(parsed, tuning.Measure(parsed), ct);
            var session = tuning.Session(parsed, measurer, store, ct);
            var starts = Starts(tasks, new TunedWorkloads(store.Read()), session.Start!);
            var result = await ProgressBar.RunManyAsync(bar => ModelTuning.RunAsync(tasks.Select(t => t.Task).ToList(), options,
                session with
                {
                    Strategy = SchedulingStrategies.Parse(parsed.GetValue(strategy)!),
                    Progress = (task, prefix, budget) => [bar(prefix + Name(tasks, task) + " ", budget)],
                    OnRound = round => Consoles.Error.WriteLine(
                        $"[Round {round.Round,3}] {round.TaskResult.Trials} trials of {Name(tasks, round.Task)}, {round.Spent}/{round.Total} in all; its best {round.TaskResult.BestGflops:F1} " +
                            $"GFLOP/s"),
                    Inform = Consoles.Error.WriteLine,
                },
                task => Name(tasks, task)));
            Report(tasks, result, starts, clock.Elapsed, store.Name, parsed.GetValue(json));
            if (parsed.GetValue(report.Path) is { } page)
            {
                var settings = ReportOption.Settings(parsed, tuning, selection, sharing) with { Selective = options.Selective };
                var mappings = result.Outcomes.Where(o => o.Sharing is not null).ToDictionary(o => o.Task, o => o.Sharing!.ToString());
                var name = model.Name(parsed);
                var onnx = model.OnnxBytes(parsed);
                ReportFile.Save(ReportBuilder.Build(name, model.Load(parsed), onnx, store.Name, store.Read(Consoles.Warn), settings, sharing: mappings), page);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A task of this model by id, or a workload tuned before (another model's, a representative).</summary>
    private static string Name(IReadOnlyList<ExtractedTask> tasks, TuningTask task) =>
        tasks.FirstOrDefault(t => t.Task == task)?.Id ?? $"tuned {task.Name} {Shapes(task.Workload)}";

    /// <summary>A workload's tensor shapes, <c>1x64x56x56 64x64x3x3</c>: enough to tell which one it is in a table.</summary>
    private static string Shapes(Workload workload) => string.Join(" ", workload.Args
        .OfType<JsonArray>().Where(a => a is [JsonValue tag, JsonArray, ..] && tag.ToString() == "TENSOR")
        .Select(a => string.Join("x", a[1]!.AsArray().Select(d => d!.ToString()))));

    /// <summary>Where each task's tuning starts: its records in the store (resumed), else its zero-trial start (shipped, a
    /// similar workload's), else its default.</summary>
    private static Dictionary<TuningTask, ConfigSource> Starts(IReadOnlyList<ExtractedTask> tasks, TunedWorkloads before, ZeroTrialStart start) =>
        tasks.ToDictionary(t => t.Task, t => before.ValidTrials(t.Task) > 0 ? ConfigSource.Log : start.For(t.Task)?.Source ?? ConfigSource.Default);

    private static int Count(Dictionary<TuningTask, ConfigSource> starts, ConfigSource source) => starts.Values.Count(s => s == source);

    private static void Report(IReadOnlyList<ExtractedTask> tasks, ModelTuningResult result, Dictionary<TuningTask, ConfigSource> starts, TimeSpan elapsed,
        string log, bool json)
    {
        var (outcomes, plan, skipped) = result;
        var rows = tasks.Select(t => (t, o: outcomes.First(o => o.Task == t.Task))).ToList();
        if (json)
        {
            Consoles.WriteJson(new JsonObject
            {
                ["tuning_s"] = elapsed.TotalSeconds,
                ["trials"] = outcomes.Sum(o => o.Result.Trials),
                ["measured"] = outcomes.Sum(o => o.Result.Measured),
                ["log"] = log,
                // One kernel per task, by where its tuning started (its first batch measured that config first).
                ["kernels_from_log"] = Count(starts, ConfigSource.Log),
                ["kernels_shipped"] = Count(starts, ConfigSource.Shipped),
                ["kernels_similar"] = Count(starts, ConfigSource.Similar),
                ["kernels_default"] = Count(starts, ConfigSource.Default),
                ["tasks"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
                {
                    ["id"] = r.t.Id,
                    ["name"] = r.t.Task.Name,
                    ["depend"] = Name(tasks, plan.RepresentativeOf(r.t.Task)),
                    ["skipped"] = skipped.Contains(r.t.Task),
                    ["count"] = r.t.Count,
                    ["trials"] = r.o.Result.Trials,
                    ["measured"] = r.o.Result.Measured,
                    ["errors"] = r.o.Result.Errors,
                    ["best_ms"] = double.IsFinite(r.o.Result.BestSeconds) ? r.o.Result.BestSeconds * 1e3 : null,
                    ["best_gflops"] = r.o.Result.BestGflops,
                    ["shared"] = r.o.Sharing?.ToString(),
                    ["start"] = starts[r.t.Task].ToString().ToLowerInvariant(),
                }).ToArray()),
            });
            return;
        }
        var table = new Table().AddColumns("id", "task", "depends on", "count", "trials", "errors", "best ms", "GFLOP/s", "sharing");
        foreach (var (t, o) in rows)
            table.AddRow(t.Id, t.Task.Name, Markup.Escape(Name(tasks, plan.RepresentativeOf(t.Task))), t.Count.ToString(), o.Result.Trials.ToString(), o.Result.Errors.ToString(),
                double.IsFinite(o.Result.BestSeconds) ? $"{o.Result.BestSeconds * 1e3:F3}" : "-", $"{o.Result.BestGflops:F1}",
                Markup.Escape(o.Sharing?.ToString() ?? (skipped.Contains(t.Task) ? "already tuned" : plan.IsDependent(t.Task) ? "-" : "tuned in full")));
        Consoles.Out.Write(table);
        Consoles.Out.MarkupLine($"{outcomes.Sum(o => o.Result.Trials)} trials ({outcomes.Sum(o => o.Result.Measured)} measured now) in {elapsed.TotalSeconds:F1} s; log: {Markup.Escape(log)}");
        Consoles.Out.MarkupLine(Markup.Escape("tasks started from: " + ShippedOption.Sources(Count(starts, ConfigSource.Log), Count(starts, ConfigSource.Shipped),
            Count(starts, ConfigSource.Similar), Count(starts, ConfigSource.Default))));
    }
}
