using System.Text.Json.Nodes;
using Tessel.Graph;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Runtime;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Tuners;

namespace Tessel.Experiments;

/// <summary>The RFC's experiment for one model: tune it in full and selectively with the same tuner and
/// seed into two logs, run the model with each, and report the RFC's two columns — time used (selective
/// tuning time / full tuning time) and achieved performance (full latency / selective latency).</summary>
public sealed record SelectiveComparison(string Model, ComparisonSide Full, ComparisonSide Selective, int Tasks, int Representatives)
{
    public double TimeUsed => Selective.TuningSeconds / Full.TuningSeconds;

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
        ["time_used"] = TimeUsed,
        ["time_used_at_full_cost"] = TimeUsedAtFullCost,
        ["trials_used"] = TrialsUsed,
        ["shared_configs"] = Mapping is null ? null : new JsonObject
        {
            ["offered"] = Mapping.Offered, ["exact"] = Mapping.Exact, ["clamped"] = Mapping.Clamped,
            ["duplicates"] = Mapping.Duplicates, ["unmappable"] = Mapping.Unmappable, ["picked"] = Mapping.Picked, ["pick_s"] = Mapping.PickSeconds,
        },
        ["achieved_perf"] = AchievedPerf,
    };

    /// <summary>Tunes (or resumes) both logs, then measures the model with each. <paramref name="progress"/>
    /// makes the callbacks of one task from its prefix and budget.</summary>
    public static async Task<SelectiveComparison> RunAsync(
        ModelGraph graph,
        SelectiveTuningOptions options,
        double threshold,
        SimilarityDefinition definition,
        string fullLog,
        string selectiveLog,
        SelectiveTuning.ProgressFactory? progress = null,
        Action<string>? warn = null,
        Target? target = null,
        CancellationToken cancellationToken = default)
    {
        target ??= Target.Host;
        var threads = options.Tune.Measure.Threads;
        // Each side gets its own measurer: a worker that loaded every task's tensors for full tuning would spare the
        // selective run the loads it pays on its own.
        var fullTasks = Extract(graph, target);
        await using (var measurer = new LocalMeasurer(options.Tune.Measure))
        {
            for (var i = 0; i < fullTasks.Count; i++)
            {
                var task = fullTasks[i];
                var budget = options.Tune with { Trials = (int)Math.Min(options.Tune.Trials, task.Space.Size) };
                await TaskTuning.RunAsync(task, TunerRegistry.Create(options.Tuner, task, options.Seed), measurer, budget, new LogFile(fullLog),
                    progress?.Invoke(task, $"[Full Task {i + 1,2}/{fullTasks.Count,2}] ", budget.Trials), warn, cancellationToken).ConfigureAwait(false);
            }
        }

        var selectiveTasks = Extract(graph, target);
        var selection = TaskSelection.MarkDepend(selectiveTasks, threshold, definition);
        IReadOnlyList<TaskOutcome> outcomes;
        await using (var measurer = new LocalMeasurer(options.Tune.Measure))
            outcomes = await SelectiveTuning.RunAsync(selectiveTasks, measurer, options, new LogFile(selectiveLog), progress, warn, cancellationToken).ConfigureAwait(false);
        var shared = outcomes.Select(o => o.Sharing).OfType<MappingStats>().ToList();

        var full = Records(fullTasks, fullLog, warn);
        var selective = Records(selectiveTasks, selectiveLog, warn);
        var (fullMs, selectiveMs) = Latencies(graph, full, selective, threads, target);
        var meanCost = full.GroupBy(r => r.WorkloadKey).ToDictionary(g => g.Key, g => g.Average(r => r.Result.AllCost));
        return new SelectiveComparison(graph.Name,
            new ComparisonSide(full.Sum(r => r.Result.AllCost), full.Count, fullMs),
            new ComparisonSide(selective.Sum(r => r.Result.AllCost), selective.Count, selectiveMs),
            fullTasks.Count, selection.Representatives.Count)
        {
            TimeUsedAtFullCost = selective.Sum(r => meanCost.GetValueOrDefault(r.WorkloadKey, r.Result.AllCost)) / full.Sum(r => r.Result.AllCost),
            Mapping = new MappingStats(shared.Sum(m => m.Offered), shared.Sum(m => m.Exact), shared.Sum(m => m.Clamped), shared.Sum(m => m.Duplicates), shared.Sum(m => m.Unmappable))
            {
                Picked = shared.Any(m => m.Picked is not null) ? shared.Sum(m => m.Measured) : null,
                PickedByModel = shared.Any(m => m.PickedByModel),
                PickSeconds = shared.Sum(m => m.PickSeconds),
            },
        };
    }

    private static List<TuningTask> Extract(ModelGraph graph, Target target) => TaskExtraction.Extract(graph, target).Select(t => t.Task).ToList();

    private static List<TuningRecord> Records(IReadOnlyList<TuningTask> tasks, string log, Action<string>? warn)
    {
        var keys = tasks.Select(t => TuningRecord.KeyOf(t.Target.Text, t.Workload)).ToHashSet();
        return RecordReader.Read(log, warn).Where(r => keys.Contains(r.WorkloadKey)).ToList();
    }

    /// <summary>The model's latency with each log: each log's model is compiled under every distinct layout plan,
    /// and all of them are measured in alternation (seven rounds, median of each); a side's latency is its fastest
    /// plan's median. Choosing the plan by a few timed runs at compile time, as a single compilation does, picked
    /// plans up to 5% apart in speed between compilations of one log (YOLOv3), enough to move achieved perf by as
    /// much; the alternation keeps drift in the machine's speed off either side.</summary>
    private static (double A, double B) Latencies(ModelGraph graph, List<TuningRecord> a, List<TuningRecord> b, int threads, Target target)
    {
        var data = CompiledModel.SampleInput(graph);
        var first = CompiledModel.CompileEachPlan(graph, new HistoryBest(a), threads, target);
        var second = CompiledModel.CompileEachPlan(graph, new HistoryBest(b), threads, target);
        var models = first.Concat(second).ToList();
        var times = models.Select(_ => new List<double>()).ToList();
        const int rounds = 7;
        for (var round = 0; round < rounds; round++)
            for (var i = 0; i < models.Count; i++)
                times[i].Add(models[i].MedianLatencySeconds(data, minRepeatMs: 100, repeats: 3) * 1e3);
        var medians = times.Select(t => t.Order().ElementAt(rounds / 2)).ToList();
        return (medians.Take(first.Count).Min(), medians.Skip(first.Count).Min());
    }
}
