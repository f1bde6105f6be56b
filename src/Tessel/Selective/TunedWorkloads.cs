using Tessel.Records;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Workloads;

namespace Tessel.Selective;

/// <summary>What a log or database already holds for a model's tasks, whichever model tuned it: the
/// workloads with valid trials on the tasks' target. A task already tuned needs nothing more; a task
/// with no record can depend on the most similar tuned workload (the selective similarity rate), so a
/// second model of a family takes its schedules from the first.</summary>
public sealed class TunedWorkloads
{
    private readonly Dictionary<string, int> validTrials = new(StringComparer.Ordinal);
    private readonly List<TuningRecord> workloads = [];
    private readonly IReadOnlyList<TuningRecord> records;

    public TunedWorkloads(IReadOnlyList<TuningRecord> records)
    {
        this.records = records;
        foreach (var record in records)
        {
            if (!validTrials.TryGetValue(record.WorkloadKey, out var valid)) workloads.Add(record);
            validTrials[record.WorkloadKey] = valid + (record.Result.IsValid ? 1 : 0);
        }
    }

    public int ValidTrials(TuningTask task) => ValidTrials(TuningRecord.KeyOf(task.Target.Text, task.Workload));

    /// <summary>Pairs every task without a valid trial with the tuned workload
    /// (same target and template, at least <paramref name="minTrials"/> valid trials) most similar to it, where
    /// that similarity reaches <paramref name="threshold"/>. Ties go to the workload with more valid trials,
    /// then to the one recorded first. Returns the tasks so paired, with their representative and similarity
    /// (<see cref="DependencePlan"/> makes them a plan).</summary>
    public IReadOnlyList<(TuningTask Task, TuningTask Representative, double Similarity)> MarkDependOnTuned(
        IReadOnlyList<TuningTask> tasks, int minTrials, double threshold, SimilarityDefinition definition = SimilarityDefinition.KnobProduct)
    {
        // Built from the task's own template: a tuned workload of the same name and target is a workload of it.
        var candidates = new Dictionary<string, TuningTask?>(StringComparer.Ordinal);
        var marked = new List<(TuningTask, TuningTask, double)>();
        foreach (var task in tasks.Where(t => ValidTrials(t) == 0))
        {
            var best = workloads
                .Where(r => r.Target == task.Target.Text && r.TaskName == task.Name && ValidTrials(r.WorkloadKey) >= Math.Max(1, minTrials))
                .Select(r => candidates.TryGetValue(r.WorkloadKey, out var c) ? c : candidates[r.WorkloadKey] = Candidate(task, r.Workload))
                .OfType<TuningTask>()
                .Select(c => (Task: c, Similarity: SimilarityRate.Compute(task, c, definition)))
                .Where(c => c.Similarity >= threshold && c.Similarity > 0)
                .OrderByDescending(c => c.Similarity).ThenByDescending(c => ValidTrials(c.Task))
                .FirstOrDefault();
            if (best.Task is null) continue;
            marked.Add((task, best.Task, best.Similarity));
        }
        return marked;
    }

    /// <summary>The tuned workload as a task of <paramref name="task"/>'s template; null when its recorded args do not fit it.</summary>
    private static TuningTask? Candidate(TuningTask task, Workload workload)
    {
        try { return TuningTask.OfRecorded(task.Template, workload, task.Target); }
        catch (FormatException) { return null; }
    }

    /// <summary>A task's outcome as the records hold it, nothing measured now: what a skipped task reports.</summary>
    public TuneResult Recorded(TuningTask task)
    {
        var (trials, _) = TaskTrials.From(records, task);
        var best = trials.Where(t => t.Result.IsValid).OrderBy(t => t.Result.MeanCost).FirstOrDefault();
        return new TuneResult(best.Config, best.Config is null ? double.PositiveInfinity : best.Result.MeanCost, trials.Count, 0,
            trials.Count(t => !t.Result.IsValid), false, TimeSpan.Zero, task.Flops);
    }

    private int ValidTrials(string key) => validTrials.GetValueOrDefault(key);
}
