using Tessel.Records;
using Tessel.Spaces;
using Tessel.Tasks;

namespace Tessel.Runtime;

/// <summary>The config a model runs for one workload: the history best of the logs when one fits the
/// template's space (AutoTVM's <c>ApplyHistoryBest</c>), else the template's default.</summary>
public static class KernelChoice
{
    public static (ConfigEntity Config, bool FromLog) For(TuningTask task, HistoryBest? history)
    {
        if (history?.Find(task.Target, task.Workload)?.Best?.ConfigIn(task.Space) is { } tuned) return (tuned, true);
        return (task.DefaultConfig, false);
    }
}
