using Tessel.Tasks;

namespace Tessel.Selective;

/// <summary>Which task takes whose schedules: every dependent task with its representative, a task of the same
/// model or a workload tuned before. Selection makes it and tuning reads it; the tasks themselves never change,
/// so one task list can be planned twice (full and selective) side by side.</summary>
public sealed class DependencePlan
{
    private readonly Dictionary<TuningTask, TuningTask> representatives;

    private DependencePlan(Dictionary<TuningTask, TuningTask> representatives) => this.representatives = representatives;

    /// <summary>Every task tuned in full.</summary>
    public static DependencePlan None { get; } = new([]);

    /// <summary>A plan from (dependent, representative) pairs; a task paired with itself stays a representative.</summary>
    public static DependencePlan Of(IEnumerable<(TuningTask Task, TuningTask Representative)> pairs)
    {
        var map = new Dictionary<TuningTask, TuningTask>();
        foreach (var (task, representative) in pairs)
        {
            if (ReferenceEquals(task, representative)) continue;
            if (!map.TryAdd(task, representative))
                throw new ArgumentException($"{task} is given two representatives", nameof(pairs));
        }
        return new DependencePlan(map);
    }

    /// <summary>The plan a selection over <paramref name="tasks"/> makes: each task depends on its cluster's representative.</summary>
    public static DependencePlan Of(IReadOnlyList<TuningTask> tasks, Selection selection)
    {
        if (selection.Depend.Count != tasks.Count)
            throw new ArgumentException($"the selection covers {selection.Depend.Count} tasks, not {tasks.Count}", nameof(selection));
        return Of(tasks.Select((t, i) => (t, tasks[selection.Depend[i]])));
    }

    /// <summary>The task whose schedules <paramref name="task"/> takes: itself when it is tuned in full.</summary>
    public TuningTask RepresentativeOf(TuningTask task) => representatives.GetValueOrDefault(task, task);

    public bool IsDependent(TuningTask task) => representatives.ContainsKey(task);

    public int Dependents => representatives.Count;

    /// <summary>This plan with <paramref name="other"/>'s dependents added (a task in both keeps this plan's representative).</summary>
    public DependencePlan With(DependencePlan other)
    {
        var map = new Dictionary<TuningTask, TuningTask>(representatives);
        foreach (var (task, representative) in other.representatives) map.TryAdd(task, representative);
        return new DependencePlan(map);
    }
}
