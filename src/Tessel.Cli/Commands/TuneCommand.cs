using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tessel.Cli.Terminal;
using Tessel.Measure;
using Tessel.Scheduling;
using TaskScheduler = Tessel.Scheduling.TaskScheduler;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Tuners;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel tune MODEL [--selective]</c>: tunes every task of a model into one log — in full, or
/// selectively (the RFC's two passes: representatives in full, then the others from shared schedules).</summary>
public static class TuneCommand
{
    public static Command Create()
    {
        var model = new ModelArgument();
        var selective = new Option<bool>("--selective") { Description = "Tune representatives in full and share their best schedules with similar tasks" };
        var dependMode = DependModeOption.Create("--depend-mode", "Shared schedules per dependent task: topN (the N best) or P% (the best P percent)", "top10");
        var sharePool = DependModeOption.SharePool();
        var refine = RefineOption.Create();
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
            Description = "How the budget (--trials x tasks tuned in full) is spread: sequential (each task's trials in turn), round-robin (rounds of --batch-size in turn) or gradient (rounds to the task that cuts model latency most, Ansor's scheduler)",
            DefaultValueFactory = _ => "sequential",
        };
        strategy.Validators.Add(r =>
        {
            try { SchedulingStrategies.Parse(r.GetValueOrDefault<string>()); }
            catch (FormatException e) { r.AddError("--strategy: " + e.Message); }
        });
        var tuning = new TuningOptions();
        var selection = new SelectionOptions();
        var command = new Command("tune", "Tune every task of a model (the trial budget is per task); --selective tunes only representatives in full")
        {
            selective, dependMode, sharePool, refine, json, strategy, skipTuned, shareTuned,
        };
        model.AddTo(command);
        tuning.AddTo(command);
        selection.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            var tasks = model.Tasks(parsed);
            var store = tuning.Store(parsed);
            var options = tuning.Tune(parsed);
            var tunerName = parsed.GetValue(tuning.Tuner)!;
            var seed = parsed.GetValue(tuning.Seed);
            var schedule = SchedulingStrategies.Parse(parsed.GetValue(strategy)!);
            void ReportRound(ScheduledRound round) => Consoles.Error.WriteLine(
                $"[Round {round.Round,3}] {round.TaskResult.Trials} trials of {Id(tasks, round.Task)}, {round.Spent}/{round.Total} in all; its best {round.TaskResult.BestGflops:F1} GFLOP/s");
            var clock = Stopwatch.StartNew();
            var toTune = tasks.Select(t => t.Task).ToList();
            var outcomes = new List<TaskOutcome>();
            var skipped = new HashSet<TuningTask>();
            if (parsed.GetValue(skipTuned) is not null || parsed.GetValue(shareTuned))
            {
                var tuned = new TunedWorkloads(store.Read(Consoles.Warn));
                if (parsed.GetValue(skipTuned) is { } n)
                {
                    skipped.UnionWith(toTune.Where(t => tuned.ValidTrials(t) >= n));
                    toTune.RemoveAll(skipped.Contains);
                    outcomes.AddRange(skipped.Select(t => new TaskOutcome(t, true, tuned.Recorded(t), null)));
                    Consoles.Error.WriteLine($"{skipped.Count} of {tasks.Count} tasks already have >= {n} valid trials in {store.Name}: not tuned again");
                }
                if (parsed.GetValue(shareTuned))
                    foreach (var (task, similarity) in tuned.MarkDependOnTuned(toTune, parsed.GetValue(skipTuned) ?? 1,
                                 parsed.GetValue(selection.MinSimilarity), selection.Definition(parsed)))
                        Consoles.Error.WriteLine($"{Id(tasks, task)} has no record: shares the schedules of {DependName(tasks, task)} (similarity {similarity:G3})");
            }
            await using var measurer = await tuning.MeasurerAsync(parsed, options.Measure, ct);
            var dependsOnTuned = toTune.Any(t => t.Depend != t);
            if (parsed.GetValue(selective) || dependsOnTuned)
            {
                if (parsed.GetValue(selective))
                    TaskSelection.MarkDepend(toTune.Where(t => t.Depend == t).ToList(), parsed.GetValue(selection.MinSimilarity), selection.Definition(parsed));
                var selectiveOptions = new SelectiveTuningOptions
                {
                    Tune = options, Tuner = tunerName, Seed = seed, Strategy = schedule,
                    DependMode = DependMode.Parse(parsed.GetValue(dependMode)!), Refine = parsed.GetValue(refine),
                    SharePool = DependModeOption.Parse(parsed.GetValue(sharePool)),
                };
                outcomes.AddRange(await ProgressBar.RunManyAsync(bar => SelectiveTuning.RunAsync(toTune, measurer,
                    selectiveOptions, store, (task, prefix, budget) => [bar(prefix + Id(tasks, task) + " ", budget)], Consoles.Warn, ct, ReportRound)));
            }
            else if (schedule != SchedulingStrategy.Sequential)
            {
                var results = await TaskScheduler.RunAsync(toTune, schedule, toTune.Sum(t => (int)Math.Min(options.Trials, t.Space.Size)),
                    task => TunerRegistry.Create(tunerName, task, seed), measurer, options with { Trials = Math.Min(options.BatchSize, options.Trials) }, store,
                    ReportRound, Consoles.Warn, seed, ct);
                outcomes.AddRange(toTune.Select((task, i) => new TaskOutcome(task, true, results[i], null)));
            }
            else
            {
                outcomes.AddRange(await ProgressBar.RunManyAsync(async bar =>
                {
                    var list = new List<TaskOutcome>();
                    for (var i = 0; i < toTune.Count; i++)
                    {
                        var task = toTune[i];
                        var full = options with { Trials = (int)Math.Min(options.Trials, task.Space.Size) };
                        var result = await TaskTuning.RunAsync(task, TunerRegistry.Create(tunerName, task, seed), measurer, full, store,
                            [bar($"[Task {i + 1,2}/{toTune.Count,2}] {Id(tasks, task)} ", full.Trials)], Consoles.Warn, ct);
                        list.Add(new TaskOutcome(task, true, result, null));
                    }
                    return list;
                }));
            }
            Report(tasks, outcomes, skipped, clock.Elapsed, store.Name, parsed.GetValue(json));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Id(IReadOnlyList<ExtractedTask> tasks, TuningTask task) => tasks.First(t => t.Task == task).Id;

    /// <summary>The task's representative: a task of this model by id, or a workload tuned before (another model's).</summary>
    private static string DependName(IReadOnlyList<ExtractedTask> tasks, TuningTask task) =>
        tasks.FirstOrDefault(t => t.Task == task.Depend)?.Id ?? $"tuned {task.Depend.Name} {Shapes(task.Depend.Workload)}";

    /// <summary>A workload's tensor shapes, <c>1x64x56x56 64x64x3x3</c>: enough to tell which one it is in a table.</summary>
    private static string Shapes(Workload workload) => string.Join(" ", workload.Args
        .OfType<JsonArray>().Where(a => a is [JsonValue tag, JsonArray, ..] && tag.ToString() == "TENSOR")
        .Select(a => string.Join("x", a[1]!.AsArray().Select(d => d!.ToString()))));

    private static void Report(IReadOnlyList<ExtractedTask> tasks, IReadOnlyList<TaskOutcome> outcomes, IReadOnlySet<TuningTask> skipped, TimeSpan elapsed,
        string log, bool json)
    {
        var rows = tasks.Select(t => (t, o: outcomes.First(o => o.Task == t.Task))).ToList();
        if (json)
        {
            Consoles.WriteJson(new JsonObject
            {
                ["tuning_s"] = elapsed.TotalSeconds,
                ["trials"] = outcomes.Sum(o => o.Result.Trials),
                ["measured"] = outcomes.Sum(o => o.Result.Measured),
                ["log"] = log,
                ["tasks"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
                {
                    ["id"] = r.t.Id,
                    ["name"] = r.t.Task.Name,
                    ["depend"] = DependName(tasks, r.t.Task),
                    ["skipped"] = skipped.Contains(r.t.Task),
                    ["count"] = r.t.Count,
                    ["trials"] = r.o.Result.Trials,
                    ["measured"] = r.o.Result.Measured,
                    ["errors"] = r.o.Result.Errors,
                    ["best_ms"] = double.IsFinite(r.o.Result.BestSeconds) ? r.o.Result.BestSeconds * 1e3 : null,
                    ["best_gflops"] = r.o.Result.BestGflops,
                    ["shared"] = r.o.Sharing?.ToString(),
                }).ToArray()),
            });
            return;
        }
        var table = new Table().AddColumns("id", "task", "depends on", "count", "trials", "errors", "best ms", "GFLOP/s", "sharing");
        foreach (var (t, o) in rows)
            table.AddRow(t.Id, t.Task.Name, Markup.Escape(DependName(tasks, t.Task)), t.Count.ToString(), o.Result.Trials.ToString(), o.Result.Errors.ToString(),
                double.IsFinite(o.Result.BestSeconds) ? $"{o.Result.BestSeconds * 1e3:F3}" : "-", $"{o.Result.BestGflops:F1}",
                Markup.Escape(o.Sharing?.ToString() ?? (skipped.Contains(t.Task) ? "already tuned" : t.Task.Depend == t.Task ? "tuned in full" : "-")));
        Consoles.Out.Write(table);
        Consoles.Out.MarkupLine($"{outcomes.Sum(o => o.Result.Trials)} trials ({outcomes.Sum(o => o.Result.Measured)} measured now) in {elapsed.TotalSeconds:F1} s; log: {Markup.Escape(log)}");
    }
}
