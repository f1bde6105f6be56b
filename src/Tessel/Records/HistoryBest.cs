using Tessel.Tasks;

namespace Tessel.Records;

/// <summary>The best record per (target, workload) over one or more logs: what a runtime uses and what
/// <c>tessel best</c> lists. Ranking is by mean cost, as AutoTVM's <c>ApplyHistoryBest</c>.</summary>
public sealed class HistoryBest
{
    private readonly Dictionary<string, WorkloadBest> byKey = new(StringComparer.Ordinal);
    private readonly List<string> order = [];

    public HistoryBest(IEnumerable<TuningRecord> records)
    {
        foreach (var record in records)
        {
            var key = record.WorkloadKey;
            if (!byKey.TryGetValue(key, out var current))
            {
                current = new WorkloadBest(record, null, 0, 0);
                order.Add(key);
            }
            var valid = record.Result.IsValid;
            var better = valid && (current.Best is null || record.Result.MeanCost < current.Best.Result.MeanCost);
            byKey[key] = current with { Best = better ? record : current.Best, Trials = current.Trials + 1, Errors = current.Errors + (valid ? 0 : 1) };
        }
    }

    public static HistoryBest Load(string path, Action<string>? warn = null) => new(RecordReader.Read(path, warn));

    /// <summary>Workloads in the order they first appear in the logs.</summary>
    public IEnumerable<WorkloadBest> Workloads => order.Select(k => byKey[k]);

    public WorkloadBest? Find(Target target, Workload workload) =>
        byKey.TryGetValue(TuningRecord.KeyOf(target.Text, workload), out var best) ? best : null;
}
