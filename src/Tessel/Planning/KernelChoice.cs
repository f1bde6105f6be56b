using Tessel.Records;
using Tessel.Selective;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Planning;

/// <summary>The kernel a model runs for one node: among the tasks that implement its workload (the primary
/// template and its <see cref="Implementations"/>) and each one's fastest logged configs, the one that is fastest
/// once the conversions its layouts bring are counted (AutoTVM's <c>ApplyHistoryBest</c> across implementations, as
/// Relay picks among op strategies, with the layout costs of a <see cref="LayoutPolicy"/>: a blocked kernel 5%
/// faster than a plain one is no gain if its input must be converted first). With nothing logged for any of them,
/// their <see cref="ZeroTrialStart"/>s weighed the same way: shipped records of the workload first, then the most
/// similar workload's; else the primary template's default config. A logged or shipped choice comes with the seconds
/// it measured when tuned.</summary>
public static class KernelChoice
{
    /// <summary>A node's kernel: its task and config, the seconds measured for it (logged or shipped), and where it came from.</summary>
    public sealed record Pick(TuningTask Task, ConfigEntity Config, double? TunedSeconds, ConfigSource Source);

    /// <param name="layoutCost">Seconds of conversions a kernel reading one channel block and writing another
    /// brings with it (<see cref="LayoutPolicy"/>); null: layouts cost nothing.</param>
    public static (TuningTask Task, ConfigEntity Config, double? TunedSeconds) For(IReadOnlyList<TuningTask> candidates, HistoryBest? history, Func<int, int, double>? layoutCost = null)
    {
        var pick = Choose(candidates, history, start: null, layoutCost);
        return (pick.Task, pick.Config, pick.TunedSeconds);
    }

    /// <param name="start">what a workload with no record starts from; null: the default</param>
    public static Pick Choose(IReadOnlyList<TuningTask> candidates, HistoryBest? history, ZeroTrialStart? start, Func<int, int, double>? layoutCost = null)
    {
        var logged = Fastest(candidates.SelectMany(task => (history?.Find(task.Target, task.Workload)?.Fastest ?? [])
            .Select(record => (task, config: record.ConfigIn(task.Space), seconds: record.Result.MeanCost))), layoutCost);
        if (logged is { } log) return new Pick(log.Task, log.Config, log.Seconds, ConfigSource.Log);
        if (start is not null)
        {
            var starts = candidates.Select(task => (task, start: start.For(task))).Where(s => s.start is not null).ToList();
            foreach (var source in (ConfigSource[])[ConfigSource.Shipped, ConfigSource.Similar])
            {
                var found = Fastest(starts.Where(s => s.start!.Source == source)
                    .SelectMany(s => s.start!.Configs.Select(c => (s.task, (ConfigEntity?)c.Config, c.Seconds))), layoutCost);
                // A similar workload's seconds are an estimate for this one: nothing was measured for it.
                if (found is { } f) return new Pick(f.Task, f.Config, source == ConfigSource.Shipped ? f.Seconds : null, source);
            }
        }
        return new Pick(candidates[0], candidates[0].DefaultConfig, null, ConfigSource.Default);
    }

    /// <summary>The fastest of the offered configs once its conversions are counted; null where none fits its task's space.</summary>
    private static (TuningTask Task, ConfigEntity Config, double Seconds)? Fastest(
        IEnumerable<(TuningTask Task, ConfigEntity? Config, double Seconds)> offered, Func<int, int, double>? layoutCost) =>
        offered.Where(c => c.Config is not null)
            .Select(c => (c.Task, Config: c.Config!, c.Seconds, Cost: c.Seconds + Conversions(c.Task, c.Config!, layoutCost)))
            .OrderBy(c => c.Cost)
            .Select(c => ((TuningTask, ConfigEntity, double)?)(c.Task, c.Config, c.Seconds))
            .FirstOrDefault();

    private static double Conversions(TuningTask task, ConfigEntity config, Func<int, int, double>? layoutCost)
    {
        if (layoutCost is null) return 0;
        var (input, output) = task.Template.Blocks(task.Workload, config);
        return layoutCost(input, output);
    }
}
