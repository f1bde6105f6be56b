using Tessel.Records;
using Tessel.Spaces;
using Tessel.Tasks;

namespace Tessel.Runtime;

/// <summary>The kernel a model runs for one node: among the tasks that implement its workload (the primary
/// template and its <see cref="Implementations"/>), the one whose logged best config is fastest (AutoTVM's
/// <c>ApplyHistoryBest</c>, across implementations as Relay picks among op strategies); with nothing logged,
/// the primary template's default config. A logged choice comes with the seconds it measured when tuned.</summary>
public static class KernelChoice
{
    public static (TuningTask Task, ConfigEntity Config, double? TunedSeconds) For(IReadOnlyList<TuningTask> candidates, HistoryBest? history)
    {
        var logged = candidates
            .Select(task => (task, best: history?.Find(task.Target, task.Workload)?.Best))
            .Select(c => (c.task, c.best, config: c.best?.ConfigIn(c.task.Space)))
            .Where(c => c.config is not null)
            .OrderBy(c => c.best!.Result.MeanCost)
            .FirstOrDefault();
        if (logged.config is { } tuned) return (logged.task, tuned, logged.best!.Result.MeanCost);
        return (candidates[0], candidates[0].DefaultConfig, null);
    }
}
