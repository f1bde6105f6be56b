using Tessel.Planning;
using Tessel.Records;
using Tessel.Selective;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Templates.Depthwise;
using Tessel.Templates.DepthwiseNchwc;
using Tessel.Tests.Support;
using Tessel.Workloads;
using static Tessel.Tests.Support.LoggedRecords;

namespace Tessel.Tests.Planning;

/// <summary>The lookup order of a node's kernel when the log may have nothing for it: the log's own records, else the
/// shipped records of that workload, else the most similar workload's best mapped into its space, else the default.</summary>
public sealed class ZeroTrialChoiceTests
{
    private static readonly Target Avx512 = new("tessel-cpu -isa=avx512");
    private static readonly Workload Direct = DepthwiseConv2dNchwTemplate.Workload([1, 32, 14, 14], [32, 1, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1]);
    private static readonly TuningTask Plain = new(DepthwiseConv2dNchwTemplate.Instance, Direct, Avx512);
    private static readonly TuningTask Blocked = new(DepthwiseNchwcTemplate.Instance, DepthwiseNchwcTemplate.FromDirect(Direct), Avx512);
    private static readonly TuningTask Larger =
        new(DepthwiseConv2dNchwTemplate.Instance, DepthwiseConv2dNchwTemplate.Workload([1, 32, 28, 28], [32, 1, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1]), Avx512);

    /// <summary>A config of the plain task that is not its default, as a shipped record would hold.</summary>
    private static readonly ConfigEntity ShippedConfig = Plain.Space.Get(Plain.DefaultConfig.Index == 11 ? 12 : 11);

    /// <summary>A config of the larger workload whose counterpart in the plain task is exact and not the default.</summary>
    private static readonly ConfigEntity LargerConfig = Enumerable.Range(1, 5000).Select(i => Larger.Space.Get(i * 7919L % Larger.Space.Size))
        .First(c => ConfigMapper.Map(c, Plain.Space) is ({ } m, ConfigMapper.Outcome.Exact) && m.Index != Plain.DefaultConfig.Index && m.Index != ShippedConfig.Index);

    private static readonly TuningTask[] Candidates = [Plain, Blocked];

    private static readonly TuningTask DenseTask = new(Tessel.Templates.Dense.DenseTemplate.Instance,
        Tessel.Templates.Dense.DenseTemplate.Workload([1, 64], [32, 64]), Avx512);

    private static ZeroTrialStart Start(IEnumerable<TuningRecord> shipped, IReadOnlyList<TuningRecord>? stored = null) =>
        new(ShippedFiles.Catalog(Avx512, shipped), () => stored ?? []);

    [Fact]
    public void A_record_of_the_log_beats_a_shipped_one_even_when_the_shipped_one_is_faster()
    {
        var history = new HistoryBest([Logged(Plain, Plain.DefaultConfig, 5e-3)]);
        var pick = KernelChoice.Choose(Candidates, history, Start([Logged(Plain, ShippedConfig, 1e-3)]));
        Assert.Equal(ConfigSource.Log, pick.Source);
        Assert.Equal(Plain.DefaultConfig.Index, pick.Config.Index);
        Assert.Equal(5e-3, pick.TunedSeconds);
    }

    [Fact]
    public void A_shipped_record_of_the_workload_beats_a_faster_similar_workload()
    {
        var stored = new List<TuningRecord> { Logged(Larger, LargerConfig, 0.1e-3) };
        var pick = KernelChoice.Choose(Candidates, new HistoryBest(stored), Start([Logged(Plain, ShippedConfig, 1e-3), Logged(Larger, LargerConfig, 0.1e-3)], stored));
        Assert.Equal(ConfigSource.Shipped, pick.Source);
        Assert.Same(Plain, pick.Task);
        Assert.Equal(ShippedConfig.Index, pick.Config.Index);
        // Measured for this very workload (on the shipping host): the seconds come with it.
        Assert.Equal(1e-3, pick.TunedSeconds);
    }

    [Fact]
    public void Shipped_records_are_weighed_across_the_workloads_implementations()
    {
        var blocked = DepthwiseNchwcTemplate.Config(Blocked.Space, 2, 7, 2, "512");
        var pick = KernelChoice.Choose(Candidates, null, Start([Logged(Plain, ShippedConfig, 1e-3), Logged(Blocked, blocked, 0.8e-3)]));
        Assert.Equal((ConfigSource.Shipped, Blocked.Name, blocked.Index), (pick.Source, pick.Task.Name, pick.Config.Index));
        // Unless its conversions cost more than it gains.
        pick = KernelChoice.Choose(Candidates, null, Start([Logged(Plain, ShippedConfig, 1e-3), Logged(Blocked, blocked, 0.8e-3)]), (input, _) => input == 1 ? 0 : 0.3e-3);
        Assert.Equal((ConfigSource.Shipped, Plain.Name), (pick.Source, pick.Task.Name));
    }

    [Fact]
    public void With_nothing_of_the_workload_the_most_similar_workloads_best_is_mapped_into_its_space()
    {
        Assert.True(SimilarityRate.Compute(Plain, Larger) > 0);
        var start = Start([Logged(Larger, LargerConfig, 0.4e-3)]);
        var pick = KernelChoice.Choose(Candidates, new HistoryBest([]), start);
        Assert.Equal(ConfigSource.Similar, pick.Source);
        Assert.Equal(ConfigMapper.Map(LargerConfig, Plain.Space).Config!.Index, pick.Config.Index);
        // Nothing was measured for this workload.
        Assert.Null(pick.TunedSeconds);
        var found = start.For(Plain)!;
        Assert.Equal(Larger.Workload, found.From);
        Assert.Equal(SimilarityRate.Compute(Plain, Larger), found.Similarity);
    }

    [Fact]
    public void A_similar_workload_of_the_users_own_records_counts_as_well()
    {
        var stored = new List<TuningRecord> { Logged(Larger, LargerConfig, 0.4e-3) };
        var pick = KernelChoice.Choose(Candidates, new HistoryBest(stored), new ZeroTrialStart(shipped: null, () => stored));
        Assert.Equal(ConfigSource.Similar, pick.Source);
        Assert.Equal(ConfigMapper.Map(LargerConfig, Plain.Space).Config!.Index, pick.Config.Index);
    }

    [Fact]
    public void With_nothing_shipped_or_stored_the_default_runs()
    {
        var pick = KernelChoice.Choose(Candidates, null, new ZeroTrialStart(shipped: null, () => []));
        Assert.Equal((ConfigSource.Default, Plain.DefaultConfig.Index, (double?)null), (pick.Source, pick.Config.Index, pick.TunedSeconds));
        // A workload of another template shares nothing with it.
        var dense = new List<TuningRecord> { Logged(DenseTask, DenseTask.DefaultConfig, 1e-3) };
        Assert.Equal(ConfigSource.Default, KernelChoice.Choose(Candidates, null, Start(dense, dense)).Source);
    }
}
