using Tessel.Tasks;

namespace Tessel.Records;

/// <summary>A log read for one model: the records of its tasks' workloads on their targets, in log order (a log may hold
/// other models' and other machines' records too).</summary>
public static class ModelRecords
{
    public static List<TuningRecord> Of(IEnumerable<TuningRecord> records, IEnumerable<TuningTask> tasks)
    {
        var keys = tasks.Select(t => TuningRecord.KeyOf(t.Target.Text, t.Workload)).ToHashSet();
        return [.. records.Where(r => keys.Contains(r.WorkloadKey))];
    }
}
