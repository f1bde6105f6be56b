using Tessel.Records;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Planning;

/// <summary>The kernel a model runs for one node: among the tasks that implement its workload (the primary
/// template and its <see cref="Implementations"/>) and each one's fastest logged configs, the one that is fastest
/// once the conversions its layouts bring are counted (AutoTVM's <c>ApplyHistoryBest</c> across implementations, as
/// Relay picks among op strategies, with the layout costs of a <see cref="LayoutPolicy"/>: a blocked kernel 5%
/// faster than a plain one is no gain if its input must be converted first). With nothing logged, the primary
/// template's default config. A logged choice comes with the seconds it measured when tuned.</summary>
public static class KernelChoice
{
    /// <param name="layoutCost">Seconds of conversions a kernel reading one channel block and writing another
    /// brings with it (<see cref="LayoutPolicy"/>); null: layouts cost nothing.</param>
    public static (TuningTask Task, ConfigEntity Config, double? TunedSeconds) For(IReadOnlyList<TuningTask> candidates, HistoryBest? history, Func<int, int, double>? layoutCost = null)
    {
        var logged = candidates
            .SelectMany(task => (history?.Find(task.Target, task.Workload)?.Fastest ?? []).Select(record => (task, record, config: record.ConfigIn(task.Space))))
            .Where(c => c.config is not null)
            .Select(c => (c.task, c.record, c.config, cost: c.record.Result.MeanCost + Conversions(c.task, c.config!, layoutCost)))
            .OrderBy(c => c.cost)
            .FirstOrDefault();
        if (logged.config is { } tuned) return (logged.task, tuned, logged.record.Result.MeanCost);
        return (candidates[0], candidates[0].DefaultConfig, null);
    }

    private static double Conversions(TuningTask task, ConfigEntity config, Func<int, int, double>? layoutCost)
    {
        if (layoutCost is null) return 0;
        var (input, output) = task.Template.Blocks(task.Workload, config);
        return layoutCost(input, output);
    }
}
