namespace Tessel.Tuners.Model;

/// <summary>Size of the boosted ensemble; small, since it is refitted every plan and must stay cheap
/// next to measuring (LightGBM fits 100 trees on 300 rows in about 60 ms here; FastTree took 0.8 s).</summary>
public sealed record RankingModelOptions
{
    public int Trees { get; init; } = 100;
    public int Leaves { get; init; } = 16;
    public int MinExamplesPerLeaf { get; init; } = 4;
    public double LearningRate { get; init; } = 0.2;

    /// <summary>Rows per ranking query (a workload's rows are dealt into queries of this size).</summary>
    public int QuerySize { get; init; } = 16;
    public int Seed { get; init; } = 1;
}
