using Tessel.Records;
using Tessel.Runtime;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Templates.Depthwise;
using Tessel.Templates.DepthwiseNchwc;
using Tessel.Workloads;
using static Tessel.Tests.Support.LoggedRecords;
using Tessel.Planning;

namespace Tessel.Tests.Planning;

public class KernelChoiceTests
{
    private static readonly Target Avx512 = new("tessel-cpu -isa=avx512");
    private static readonly Workload Direct = DepthwiseConv2dNchwTemplate.Workload([1, 32, 14, 14], [32, 1, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1]);
    private static readonly TuningTask Plain = new(DepthwiseConv2dNchwTemplate.Instance, Direct, Avx512);
    private static readonly TuningTask Blocked = new(DepthwiseNchwcTemplate.Instance, DepthwiseNchwcTemplate.FromDirect(Direct), Avx512);

    private static ConfigEntity BlockedConfig(int blockVectors) => DepthwiseNchwcTemplate.Config(Blocked.Space, blockVectors, 7, 2, "512");

    // Plain 1.0 ms; blocked in 16-channel blocks 0.9 ms, in 32-channel blocks 0.8 ms.
    private static readonly HistoryBest History = new([
        Logged(Plain, Plain.DefaultConfig, 1.0e-3),
        Logged(Blocked, BlockedConfig(1), 0.9e-3),
        Logged(Blocked, BlockedConfig(2), 0.8e-3),
    ]);

    [Fact]
    public void Without_layout_costs_the_fastest_logged_kernel_runs()
    {
        var (task, config, seconds) = KernelChoice.For([Plain, Blocked], History);
        Assert.Same(Blocked, task);
        Assert.Equal((32, 32), Blocked.Template.Blocks(Blocked.Workload, config));
        Assert.Equal(0.8e-3, seconds);
    }

    [Fact]
    public void A_blocked_kernel_whose_input_must_be_converted_loses_to_a_plain_one_when_the_conversion_costs_more_than_it_gains()
    {
        var (task, _, seconds) = KernelChoice.For([Plain, Blocked], History, (input, _) => input == 1 ? 0 : 0.3e-3);
        Assert.Same(Plain, task);
        Assert.Equal(1.0e-3, seconds);
    }

    [Fact]
    public void An_input_already_blocked_keeps_its_block_over_a_faster_kernel_of_another_block()
    {
        var (task, config, seconds) = KernelChoice.For([Plain, Blocked], History, (input, _) => input == 16 ? 0 : 0.3e-3);
        Assert.Same(Blocked, task);
        Assert.Equal((16, 16), Blocked.Template.Blocks(Blocked.Workload, config));
        Assert.Equal(0.9e-3, seconds);
    }

    [Fact]
    public void With_nothing_logged_the_primary_template_runs_its_default()
    {
        var (task, config, seconds) = KernelChoice.For([Plain, Blocked], new HistoryBest([]), (_, _) => 1);
        Assert.Same(Plain, task);
        Assert.Equal(Plain.DefaultConfig.Index, config.Index);
        Assert.Null(seconds);
    }

    [Fact]
    public void History_keeps_the_fastest_records_of_a_workload_in_order()
    {
        var space = Blocked.Space;
        var random = new Random(4);
        var records = Enumerable.Range(0, HistoryBest.Kept + 40)
            .Select(i => Logged(Blocked, space.Get(random.NextInt64(space.Size)), 1e-3 + random.Next(1000) * 1e-6)).ToList();
        var entry = new HistoryBest(records).Find(Avx512, Blocked.Workload)!;
        Assert.Equal(HistoryBest.Kept, entry.Fastest.Count);
        Assert.Equal(records.Select(r => r.Result.MeanCost).Order().Take(HistoryBest.Kept), entry.Fastest.Select(r => r.Result.MeanCost));
        Assert.Same(entry.Best, entry.Fastest[0]);
        Assert.Equal(records.Count, entry.Trials);
    }
}
