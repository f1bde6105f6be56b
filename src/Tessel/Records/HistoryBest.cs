using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Records;

/// <summary>The best record per (target, workload) over one or more logs: what a runtime uses and what
/// <c>tessel best</c> lists. Ranking is by mean cost, as AutoTVM's <c>ApplyHistoryBest</c>; the
/// <see cref="Kept"/> fastest records of each workload are kept in <see cref="WorkloadBest.Fastest"/>. A config measured again
/// ranks at its latest re-measurement (<see cref="Remeasures.Latest"/>).</summary>
public sealed class HistoryBest
{
    public const int Kept = 64;

    private readonly Dictionary<string, WorkloadBest> byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TuningRecord>> fastest = new(StringComparer.Ordinal);
    private readonly List<string> order = [];

    public HistoryBest(IEnumerable<TuningRecord> records)
    {
        foreach (var record in Remeasures.Latest(records))
        {
            var key = record.WorkloadKey;
            if (!byKey.TryGetValue(key, out var current))
            {
                current = new WorkloadBest(record, null, 0, 0);
                order.Add(key);
                fastest[key] = [];
            }
            var valid = record.Result.IsValid;
            if (valid) Keep(fastest[key], record);
            byKey[key] = current with { Trials = current.Trials + 1, Errors = current.Errors + (valid ? 0 : 1) };
        }
        foreach (var key in order)
            byKey[key] = byKey[key] with { Best = fastest[key].FirstOrDefault(), Fastest = fastest[key] };
    }

    public static HistoryBest Load(string path, Action<string>? warn = null) => new(RecordReader.Read(path, warn));

    /// <summary>Workloads in the order they first appear in the logs.</summary>
    public IEnumerable<WorkloadBest> Workloads => order.Select(k => byKey[k]);

    public WorkloadBest? Find(Target target, Workload workload) =>
        byKey.TryGetValue(TuningRecord.KeyOf(target.Text, workload), out var best) ? best : null;

    // Sorted insertion after equals, so of two records with one cost the first logged ranks first.
    private static void Keep(List<TuningRecord> kept, TuningRecord record)
    {
        var cost = record.Result.MeanCost;
        if (kept.Count == Kept && cost >= kept[^1].Result.MeanCost) return;
        var at = kept.FindLastIndex(r => r.Result.MeanCost <= cost) + 1;
        kept.Insert(at, record);
        if (kept.Count > Kept) kept.RemoveAt(Kept);
    }
}
