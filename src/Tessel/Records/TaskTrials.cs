using Tessel.Measure;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Records;

/// <summary>A task's trials already in a log, mapped into the task's own space: what resuming skips.
/// Records of the same workload whose knobs no longer fit the space (a template changed) are left out
/// and counted, so that a stale log is reported rather than silently mis-read. A config measured again
/// (<see cref="TuningRecord.Remeasured"/>) counts once, at its latest re-measurement (<see cref="Remeasures.Latest"/>).</summary>
public static class TaskTrials
{
    public static (IReadOnlyList<(ConfigEntity Config, MeasureResult Result)> Trials, int Unmatched) From(
        IEnumerable<TuningRecord> records, TuningTask task)
    {
        var trials = new List<(ConfigEntity, MeasureResult)>();
        var seen = new HashSet<long>();
        var unmatched = 0;
        foreach (var record in Remeasures.Latest(records.Where(r => r.Target == task.Target.Text && r.Workload.Equals(task.Workload))))
        {
            var config = record.ConfigIn(task.Space);
            if (config is null) { unmatched++; continue; }
            if (seen.Add(config.Index)) trials.Add((config, record.Result));
        }
        return (trials, unmatched);
    }
}
