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

    public double AchievedPerf => Full.LatencyMs / Selective.LatencyMs;

    public JsonObject ToJson() => new()
    {
        ["model"] = Model,
        ["tasks"] = Tasks,
        ["representatives"] = Representatives,
        ["full"] = Full.ToJson(),
        ["selective"] = Selective.ToJson(),
        ["time_used"] = TimeUsed,
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
        CancellationToken cancellationToken = default)
    {
        var threads = options.Tune.Measure.Threads;
        await using var measurer = new LocalMeasurer(options.Tune.Measure);

        var fullTasks = Extract(graph);
        for (var i = 0; i < fullTasks.Count; i++)
        {
            var task = fullTasks[i];
            var budget = options.Tune with { Trials = (int)Math.Min(options.Tune.Trials, task.Space.Size) };
            await TaskTuning.RunAsync(task, TunerRegistry.Create(options.Tuner, task.Space, options.Seed), measurer, budget, fullLog,
                progress?.Invoke(task, $"[Full Task {i + 1,2}/{fullTasks.Count,2}] ", budget.Trials), warn, cancellationToken).ConfigureAwait(false);
        }

        var selectiveTasks = Extract(graph);
        var selection = TaskSelection.MarkDepend(selectiveTasks, threshold, definition);
        await SelectiveTuning.RunAsync(selectiveTasks, measurer, options, selectiveLog, progress, warn, cancellationToken).ConfigureAwait(false);

        return new SelectiveComparison(graph.Name,
            Side(graph, fullTasks, fullLog, threads, warn),
            Side(graph, selectiveTasks, selectiveLog, threads, warn),
            fullTasks.Count, selection.Representatives.Count);
    }

    private static List<TuningTask> Extract(ModelGraph graph) => TaskExtraction.Extract(graph, Target.Host).Select(t => t.Task).ToList();

    private static ComparisonSide Side(ModelGraph graph, IReadOnlyList<TuningTask> tasks, string log, int threads, Action<string>? warn)
    {
        var records = RecordReader.Read(log, warn);
        var keys = tasks.Select(t => TuningRecord.KeyOf(t.Target.Text, t.Workload)).ToHashSet();
        var mine = records.Where(r => keys.Contains(r.WorkloadKey)).ToList();
        var model = CompiledModel.Compile(graph, new HistoryBest(mine), threads);
        return new ComparisonSide(mine.Sum(r => r.Result.AllCost), mine.Count, model.MedianLatencySeconds(CompiledModel.SampleInput(graph)) * 1e3);
    }
}
