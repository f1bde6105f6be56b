using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tessel.Cli.Reports;
using Tessel.Cli.Terminal;
using Tessel.Scheduling;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Tuners;
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
        var timeBudget = TimeBudgetOption.Create("Tune (with --selective: representatives, then dependents, then rounds to whatever gains most)");
        var tuning = new TuningOptions();
        var selection = new SelectionOptions();
        var report = new ReportOption();
        var command = new Command("tune", "Tune every task of a model (the trial budget is per task); --selective tunes only representatives in full")
        {
            selective, json, strategy, timeBudget, skipTuned, shareTuned,
        };
        model.AddTo(command);
        tuning.AddTo(command);
        selection.AddTo(command);
        sharing.AddTo(command);
        report.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            // The budget counts from here: loading the model, the worker's start and selection are in it.
            var deadline = parsed.GetValue(timeBudget) is { } budget ? new Deadline(TimeBudgetOption.Parse(budget)) : null;
            var tasks = model.Tasks(parsed);
            var store = tuning.Store(parsed);
            var options = new ModelTuningOptions
            {
                Selective = parsed.GetValue(selective),
                MinSimilarity = selection.Threshold(parsed),
                Definition = selection.Definition(parsed),
                Sharing = sharing.Parse(parsed, selection.SchemeOf(parsed)),
                SkipTuned = parsed.GetValue(skipTuned),
                ShareTuned = parsed.GetValue(shareTuned),
            };
            var clock = Stopwatch.StartNew();
            await using var measurer = await tuning.MeasurerAsync(parsed, tuning.Measure(parsed), ct);
            var session = tuning.Session(parsed, measurer, store, ct);
            var starts = Starts(tasks, new TunedWorkloads(store.Read()), session.Start!);
            // A run bounded by time spreads it by the gradient scheduler (unless --strategy says otherwise), each task's trials
            // bounded by --trials only when given.
            var scheduling = deadline is not null && parsed.GetResult(strategy) is null or { Implicit: true } ? SchedulingStrategy.Gradient
                : SchedulingStrategies.Parse(parsed.GetValue(strategy)!);
            var anytime = deadline is null ? null : new AnytimeProgress(deadline, new LatencyEstimate([.. tasks.Select(t => t.Task)], store.Read()));
            if (deadline is not null)
                session = session with
                {
                    Options = session.Options with { Deadline = deadline, Trials = parsed.GetResult(tuning.Trials) is null or { Implicit: true } ? int.MaxValue : session.Options.Trials },
                    Observers = [anytime!.Estimate, anytime],
                };
            var result = await ProgressBar.RunManyAsync(bar => ModelTuning.RunAsync(tasks.Select(t => t.Task).ToList(), options,
                session with
                {
                    Strategy = scheduling,
                    Progress = (task, prefix, budget) => [bar(prefix + Name(tasks, task) + " ", budget)],
                    OnRound = round => Consoles.Error.WriteLine(
                        $"[Round {round.Round,3}] {round.TaskResult.Trials} trials of {Name(tasks, round.Task)}, {round.Spent}{(deadline is null ? $"/{round.Total}" : "")} in all; " +
                            $"its best {round.TaskResult.BestGflops:F1} " +
                            $"GFLOP/s"),
                    Inform = Consoles.Error.WriteLine,
                },
                task => Name(tasks, task)));
            if (anytime is not null) Consoles.Error.WriteLine(anytime.Line());
            Report(tasks, result, starts, clock.Elapsed, store.Name, parsed.GetValue(json), anytime);
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
        string log, bool json, AnytimeProgress? anytime)
    {
        var (outcomes, plan, skipped) = result;
        var rows = tasks.Select(t => (t, o: outcomes.First(o => o.Task == t.Task))).ToList();
        if (json)
        {
            Consoles.WriteJson(new JsonObject
            {
                ["tuning_s"] = elapsed.TotalSeconds,
                ["time_budget_s"] = anytime?.Deadline.Budget.TotalSeconds,
                // Occurrences x best per operator: the sum of kernel times, not a measured run of the model.
                ["model_estimate_ms"] = anytime is { Estimate.Unmeasured: 0 } ? anytime.Estimate.Seconds * 1e3 : null,
                ["trials"] = outcomes.Sum(o => o.Result.Trials),
                ["measured"] = outcomes.Sum(o => o.Result.Measured),
                ["log"] = log,
                // One kernel per task, by where its tuning started (its first batch measured that config first).
                ["kernels_from_log"] = Count(starts, ConfigSource.Log),
                ["kernels_shipped"] = Count(starts, ConfigSource.Shipped),
                ["kernels_similar"] = Count(starts, ConfigSource.Similar),
                ["kernels_default"] = Count(starts, ConfigSource.Default),
                ["remeasured"] = new JsonObject
                {
                    ["configs"] = result.Remeasured.Configs, ["tasks"] = result.Remeasured.Tasks, ["bests_changed"] = result.Remeasured.BestsChanged,
                    ["seconds"] = result.Remeasured.Elapsed.TotalSeconds,
                },
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
        if (result.Remeasured.Configs > 0)
            Consoles.Out.MarkupLine($"re-measured the best of {result.Remeasured.Tasks} tasks ({result.Remeasured.Configs} configs in " +
                $"{result.Remeasured.Elapsed.TotalSeconds:F1} s): the best changed on {result.Remeasured.BestsChanged}");
        Consoles.Out.MarkupLine(Markup.Escape("tasks started from: " + ShippedOption.Sources(Count(starts, ConfigSource.Log), Count(starts, ConfigSource.Shipped),
            Count(starts, ConfigSource.Similar), Count(starts, ConfigSource.Default))));
    }
}
