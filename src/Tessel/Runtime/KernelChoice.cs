using Tessel.Records;
using Tessel.Spaces;
using Tessel.Tasks;

namespace Tessel.Runtime;

/// <summary>The kernel a model runs for one node: among the tasks that implement its workload (the primary
/// template and its <see cref="Implementations"/>), the logged config that is fastest once the conversion of the
/// node's input into the layout it reads is counted (AutoTVM's <c>ApplyHistoryBest</c> across implementations, as
/// Relay picks among op strategies, with a greedy form of TVM's graph tuner's layout costs: a blocked kernel
/// 5% faster than a plain one is no gain if its input must be converted first). With nothing logged, the primary
/// template's default config. A logged choice comes with the seconds it measured when tuned.</summary>
public static class KernelChoice
{
    /// <param name="inputConversion">Seconds to bring the node's input into a channel block (0 where it is
    /// held in that block already); null: layouts cost nothing.</param>
    public static (TuningTask Task, ConfigEntity Config, double? TunedSeconds) For(IReadOnlyList<TuningTask> candidates, HistoryBest? history, Func<int, double>? inputConversion = null)
    {
        var logged = candidates
            .SelectMany(task => (history?.Find(task.Target, task.Workload)?.Fastest ?? []).Select(record => (task, record, config: record.ConfigIn(task.Space))))
            .Where(c => c.config is not null)
            .Select(c => (c.task, c.record, c.config, cost: c.record.Result.MeanCost + (inputConversion?.Invoke(c.task.Template.Blocks(c.task.Workload, c.config!).Input) ?? 0)))
            .OrderBy(c => c.cost)
            .FirstOrDefault();
        if (logged.config is { } tuned) return (logged.task, tuned, logged.record.Result.MeanCost);
        return (candidates[0], candidates[0].DefaultConfig, null);
    }
}
