using Tessel.Measure;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Records;

/// <summary>A task's trials already in a log, mapped into the task's own space: what resuming skips.
/// Records of the same workload whose knobs no longer fit the space (a template changed) are left out
/// and counted, so that a stale log is reported rather than silently mis-read. A config measured again
/// (<see cref="TuningRecord.Remeasured"/>) counts once, at its latest re-measurement.</summary>
public static class TaskTrials
{
    public static (IReadOnlyList<(ConfigEntity Config, MeasureResult Result)> Trials, int Unmatched) From(
        IEnumerable<TuningRecord> records, TuningTask task)
    {
        var trials = new List<(ConfigEntity, MeasureResult)>();
        var at = new Dictionary<long, int>();
        var unmatched = 0;
        foreach (var record in records)
        {
            if (record.Target != task.Target.Text || !record.Workload.Equals(task.Workload)) continue;
            var config = record.ConfigIn(task.Space);
            if (config is null) { unmatched++; continue; }
            if (at.TryGetValue(config.Index, out var i))
            {
                if (record.Remeasured) trials[i] = (config, record.Result);
            }
            else
            {
                at[config.Index] = trials.Count;
                trials.Add((config, record.Result));
            }
        }
        return (trials, unmatched);
    }
}
