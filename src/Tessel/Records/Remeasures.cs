namespace Tessel.Records;

/// <summary>How re-measured configs read back: each config measured again (<see cref="TuningRecord.Remeasured"/>) is
/// represented by its latest re-measurement alone, so a lucky first measurement no longer ranks it.</summary>
public static class Remeasures
{
    /// <summary>The records with every re-measured config's earlier records (and earlier re-measurements) left out, in log order.</summary>
    public static IReadOnlyList<TuningRecord> Latest(IEnumerable<TuningRecord> records)
    {
        var all = records as IReadOnlyList<TuningRecord> ?? records.ToList();
        Dictionary<(string, long), int>? latest = null;
        for (var i = 0; i < all.Count; i++)
            if (all[i].Remeasured)
                (latest ??= [])[(all[i].WorkloadKey, all[i].ConfigIndex)] = i;
        if (latest is null) return all;
        return all.Where((r, i) => !latest.TryGetValue((r.WorkloadKey, r.ConfigIndex), out var kept) || kept == i).ToList();
    }
}
