namespace Tessel.Records.Shipped;

/// <summary>One shipped file loaded: the host its records were measured on, and their best per workload, for
/// workloads a user has no record of (<see cref="ShippedCatalog"/>).</summary>
/// <param name="Name">what messages call it (its resource or file name)</param>
/// <param name="Bytes">its size as shipped (compressed)</param>
public sealed class ShippedRecords(string Name, ShippedHost Host, IReadOnlyList<TuningRecord> Records, long Bytes)
{
    public string Name { get; } = Name;
    public ShippedHost Host { get; } = Host;
    public IReadOnlyList<TuningRecord> Records { get; } = Records;
    public long Bytes { get; } = Bytes;

    /// <summary>The records by workload, fastest first.</summary>
    public HistoryBest Best => best ??= new HistoryBest(Records);
    private HistoryBest? best;

    public int Workloads => Best.Workloads.Count();
}
