using Tessel.Measure;
using Tessel.Records;
using Tessel.Tasks;
using Tessel.Tuners;

namespace Tessel.Tuning;

/// <summary>A model's latency as its tuning stands: the sum over its operators of occurrences x the best valid cost of
/// the operator's fastest implementation, from the log's records and each trial as it is measured. What a run bounded
/// by time shows falling; operators with no valid trial yet are counted apart (<see cref="Unmeasured"/>).</summary>
public sealed class LatencyEstimate : ITuneCallback
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, TuningTask> byKey;
    private readonly Dictionary<string, double> best = [];

    public LatencyEstimate(IReadOnlyList<TuningTask> tasks, IEnumerable<TuningRecord> logged)
    {
        byKey = tasks.GroupBy(t => TuningRecord.KeyOf(t.Target.Text, t.Workload)).ToDictionary(g => g.Key, g => g.First());
        Operators = tasks.Select(t => t.Operator).Distinct().Count();
        foreach (var record in logged)
            if (record.Result.IsValid && byKey.TryGetValue(record.WorkloadKey, out var task))
                Offer(task, record.Result.MeanCost);
    }

    /// <summary>Operators of the model (a conv tuned by two templates counts once).</summary>
    public int Operators { get; }

    /// <summary>Operators none of whose implementations has a valid trial yet.</summary>
    public int Unmeasured
    {
        get { lock (gate) return Operators - best.Count; }
    }

    /// <summary>Seconds of the measured operators, each at its fastest implementation's best.</summary>
    public double Seconds
    {
        get { lock (gate) return best.Sum(b => b.Value); }
    }

    public void OnTrial(TuningTask task, MeasureInput input, MeasureResult result)
    {
        if (result.IsValid && byKey.TryGetValue(TuningRecord.KeyOf(task.Target.Text, task.Workload), out var known))
            Offer(known, result.MeanCost);
    }

    private void Offer(TuningTask task, double seconds)
    {
        var cost = task.Count * seconds;
        lock (gate)
            if (!best.TryGetValue(task.Operator, out var current) || cost < current) best[task.Operator] = cost;
    }
}
