using System.Diagnostics;
using System.Text.Json.Nodes;
using Tessel.Graph;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Scheduling;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Tuning;
using Tessel.Workloads;

namespace Tessel.Experiments;

/// <summary>The RFC's experiment for one model: tune it in full and selectively with the same tuner and
/// seed into two logs, run the model with each, and report the RFC's two columns — time used (selective
/// tuning time / full tuning time) and achieved performance (full latency / selective latency). Time used is
/// given twice: by wall clock (everything each side did: selection, model fits, compilation, measurement) and by
/// the sum of the trials' costs (the RFC's).</summary>
public sealed record SelectiveComparison(string Model, ComparisonSide Full, ComparisonSide Selective, int Tasks, int Representatives)
{
    /// <summary>Selective wall clock / full wall clock.</summary>
    public double TimeUsed => Selective.WallSeconds / Full.WallSeconds;

    /// <summary>Selective trial costs / full trial costs: the RFC's time used.</summary>
    public double TimeUsedInTrialCosts => Selective.TuningSeconds / Full.TuningSeconds;

    /// <summary>Which side tuned first (the order alternates between runs of an experiment).</summary>
    public bool SelectiveFirst { get; init; }

    /// <summary>Selective trials / full trials: time used counted in trials, which machine load cannot move.</summary>
    public double TrialsUsed => (double)Selective.Trials / Full.Trials;

    /// <summary>Time used with every trial of a task costed at that task's mean trial cost in the full log: the
    /// same ratio, free of differences in machine load between the two runs.</summary>
    public double TimeUsedAtFullCost { get; init; }

    /// <summary>The dependents' shared configs summed: how many mapped exactly, clamped, or not at all.</summary>
    public MappingStats? Mapping { get; init; }

    public double AchievedPerf => Full.LatencyMs / Selective.LatencyMs;

    public JsonObject ToJson() => new()
    {
        ["model"] = Model,
        ["tasks"] = Tasks,
        ["representatives"] = Representatives,
        ["full"] = Full.ToJson(),
        ["selective"] = Selective.ToJson(),
        ["order"] = SelectiveFirst ? "selective, full" : "full, selective",
        ["time_used"] = TimeUsed,
        ["time_used_trial_costs"] = TimeUsedInTrialCosts,
        ["time_used_at_full_cost"] = TimeUsedAtFullCost,
        ["trials_used"] = TrialsUsed,
        ["shared_configs"] = Mapping is null ? null : new JsonObject
        {
            ["offered"] = Mapping.Offered, ["exact"] = Mapping.Exact, ["clamped"] = Mapping.Clamped,
            ["duplicates"] = Mapping.Duplicates, ["unmappable"] = Mapping.Unmappable, ["picked"] = Mapping.Picked, ["pick_s"] = Mapping.PickSeconds,
        },
        ["achieved_perf"] = AchievedPerf,
    };

    /// <summary>Tunes (or resumes) both logs, then measures the model with each. Each side measures on a measurer of
    /// its own with <paramref name="measure"/>'s settings; <paramref name="sessionOf"/> makes each side's session
    /// (tuner, budget, progress) around its measurer and log; <paramref name="scheme"/>
    /// says how the selective side selects and shares. The compiler is warmed before either side starts, so neither
    /// pays its first use; each side's wall clock then runs from its measurer's start to its last trial.
    /// <paramref name="selectiveBudget"/> bounds the selective side by wall clock (<c>--time-budget</c>).</summary>
    public static async Task<SelectiveComparison> RunAsync(
        ModelGraph graph,
        ModelTuningOptions scheme,
        MeasureOptions measure,
        Func<IMeasurer, IRecordStore, TuningSession> sessionOf,
        string fullLog,
        string selectiveLog,
        Target? target = null,
        bool selectiveFirst = false,
        TimeSpan? selectiveBudget = null)
    {
        target ??= Target.Host;
        KernelBuilder.WarmUp();
        // Each side gets its own measurer: a worker that loaded every task's tensors for full tuning would spare the
        // selective run the loads it pays on its own.
        var fullTasks = Extract(graph, target);
        var selectiveTasks = Extract(graph, target);
        Action<string>? warn = null;
        double fullWall = 0, selectiveWall = 0;
        // A side whose log already held the model's trials was tuned (partly) before: this run's clock misses that time.
        var resumed = (Full: Records(fullTasks, fullLog, null).Count > 0, Selective: Records(selectiveTasks, selectiveLog, null).Count > 0);
        ModelTuningResult? tuned = null;
        foreach (var selectiveTurn in selectiveFirst ? new[] { true, false } : [false, true])
        {
            var clock = Stopwatch.StartNew();
            await using var measurer = new LocalMeasurer(measure);
            if (selectiveTurn)
            {
                var session = sessionOf(measurer, new LogFile(selectiveLog));
                if (selectiveBudget is { } budget)
                    session = session with { Options = session.Options with { Deadline = new Deadline(budget) }, Strategy = SchedulingStrategy.Gradient };
                tuned = await ModelTuning.RunAsync(selectiveTasks, scheme with { Selective = true }, session).ConfigureAwait(false);
                selectiveWall = clock.Elapsed.TotalSeconds;
            }
            else
            {
                var session = sessionOf(measurer, new LogFile(fullLog));
                var labelled = session.Progress;
                warn = session.Warn;
                await ModelTuning.RunAsync(fullTasks, new ModelTuningOptions(),
                    session with { Progress = labelled is null ? null : (t, prefix, budget) => labelled(t, "[Full] " + prefix, budget) }).ConfigureAwait(false);
                fullWall = clock.Elapsed.TotalSeconds;
            }
        }
        var threads = measure.Threads;
        var outcomes = tuned!.Outcomes;
        var shared = outcomes.Select(o => o.Sharing).OfType<MappingStats>().ToList();

        var full = Records(fullTasks, fullLog, warn);
        var selective = Records(selectiveTasks, selectiveLog, warn);
        var latencies = ModelLatencies.Measure(graph, [full, selective], threads, target);
        var (fullMs, selectiveMs) = (latencies[0], latencies[1]);
        var meanCost = full.GroupBy(r => r.WorkloadKey).ToDictionary(g => g.Key, g => g.Average(r => r.Result.AllCost));
        return new SelectiveComparison(graph.Name,
            new ComparisonSide(full.Sum(r => r.Result.AllCost), resumed.Full ? Span(full) : fullWall, full.Count(r => !r.Remeasured), fullMs) { Resumed = resumed.Full },
            new ComparisonSide(selective.Sum(r => r.Result.AllCost), resumed.Selective ? Span(selective) : selectiveWall, selective.Count(r => !r.Remeasured), selectiveMs)
            {
                Resumed = resumed.Selective,
            },
            fullTasks.Count, selectiveTasks.Count - tuned.Plan.Dependents)
        {
            SelectiveFirst = selectiveFirst,
            TimeUsedAtFullCost = selective.Sum(r => meanCost.GetValueOrDefault(r.WorkloadKey, r.Result.AllCost)) / full.Sum(r => r.Result.AllCost),
            Mapping = new MappingStats(shared.Sum(m => m.Offered), shared.Sum(m => m.Exact), shared.Sum(m => m.Clamped), shared.Sum(m => m.Duplicates), shared.Sum(m => m.Unmappable))
            {
                Picked = shared.Any(m => m.Picked is not null) ? shared.Sum(m => m.Measured) : null,
                PickedByModel = shared.Any(m => m.PickedByModel),
                PickSeconds = shared.Sum(m => m.PickSeconds),
            },
        };
    }

    /// <summary>A resumed side's wall clock as its log tells it: from the first trial's start to the last trial's end, plus the
    /// re-measurements' own costs (a later run may have added them); what ran before the first trial is not in it, a gap between
    /// runs is.</summary>
    private static double Span(IReadOnlyList<TuningRecord> records)
    {
        var trials = records.Where(r => !r.Remeasured).ToList();
        if (trials.Count == 0) return 0;
        return trials.Max(r => r.Result.Timestamp) - trials.Min(r => r.Result.Timestamp - r.Result.AllCost) + records.Where(r => r.Remeasured).Sum(r => r.Result.AllCost);
    }

    private static List<TuningTask> Extract(ModelGraph graph, Target target) => TaskExtraction.Extract(graph, target).Select(t => t.Task).ToList();

    private static List<TuningRecord> Records(IReadOnlyList<TuningTask> tasks, string log, Action<string>? warn) =>
        ModelRecords.Of(RecordReader.Read(log, warn), tasks);
}
