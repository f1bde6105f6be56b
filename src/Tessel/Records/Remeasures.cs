namespace Tessel.Records;

/// <summary>How re-measured configs read back: each config measured again (<see cref="TuningRecord.Remeasured"/>) is
/// represented by its latest re-measurement alone, at the place of its first record, so a lucky first measurement no longer
/// ranks it and a task's trials keep their order.</summary>
public static class Remeasures
{
    /// <summary>The records in log order, each re-measured config's records replaced by its latest re-measurement.</summary>
    public static IReadOnlyList<TuningRecord> Latest(IEnumerable<TuningRecord> records)
    {
        var all = records as IReadOnlyList<TuningRecord> ?? records.ToList();
        Dictionary<(string, long), TuningRecord>? latest = null;
        foreach (var record in all)
            if (record.Remeasured)
                (latest ??= [])[(record.WorkloadKey, record.ConfigIndex)] = record;
        if (latest is null) return all;
        var placed = new HashSet<(string, long)>();
        var kept = new List<TuningRecord>(all.Count);
        foreach (var record in all)
        {
            var key = (record.WorkloadKey, record.ConfigIndex);
            if (!latest.TryGetValue(key, out var newest)) kept.Add(record);
            else if (placed.Add(key)) kept.Add(newest);
        }
        return kept;
    }
}
