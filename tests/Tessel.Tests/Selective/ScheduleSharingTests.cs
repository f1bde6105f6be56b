using Tessel.Graph.Zoo;
using Tessel.Spaces;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Templates.Conv2d;
using Tessel.Templates.Winograd;
using Tessel.Tests.Support;
using Tessel.Workloads;

namespace Tessel.Tests.Selective;

public class ScheduleSharingTests
{
    private static TuningTask Conv(int c, int hw, int oc) => new(Conv2dNchwTemplate.Instance,
        Conv2dNchwTemplate.Workload([1, c, hw, hw], [oc, c, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1), Target.Host);

    private static List<TuningRecord> StandInRecords(TuningTask task, int count, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(i => task.Space.Get(r.NextInt64(task.Space.Size)))
            .DistinctBy(c => c.Index)
            .Select((c, i) => TuningRecord.From(new MeasureInput(task, c),
                new MeasureResult([1e-3 * (1 + i)], MeasureErrorNo.NoError, 0.1, 1700000000)))
            .ToList();
    }

    [Fact]
    public void Shared_configs_are_the_best_mapped_into_the_dependent_space_and_every_one_builds_and_is_correct()
    {
        var representative = Conv(32, 28, 32);
        var dependent = Conv(16, 9, 24);
        var records = StandInRecords(representative, 40, seed: 3);
        var (space, stats) = ScheduleSharing.Share(dependent, representative, records, DependMode.Parse("top10"));

        Assert.Equal(10, stats.Offered);
        Assert.Equal(stats.Shared, (int)space.Size);
        Assert.Equal(10, stats.Shared + stats.Duplicates + stats.Unmappable);
        Assert.True(stats.Clamped > 0, "tiles of a 28-wide, 32-channel task exceed a 9-wide, 16-channel one: " + stats);
        Assert.All(space.Configs, c => Assert.Same(dependent.Space, c.Space));
        KernelChecker.CheckAll(dependent.Template, dependent.Workload, space.Configs, seed: 11);
    }

    public static TheoryData<string> TemplateNames => new(Tessel.Templates.TemplateRegistry.All.Select(t => t.TaskName));

    /// <summary>Each template's pair from the zoo: its widest workload of ResNet-18, MobileNetV2 and DenseNet-121 (the pose model for
    /// transposed convs) shares its
    /// best (stand-in) configs with its smallest, where tiles meet smaller axes.</summary>
    [Theory]
    [MemberData(nameof(TemplateNames))]
    public void Configs_shared_between_zoo_workloads_of_every_template_build_and_are_correct(string taskName)
    {
        // Transposed convs are in the pose model only.
        var models = taskName == Tessel.Templates.Conv2dTranspose.Conv2dTransposeTemplate.Name ? ["simple_pose_resnet18_v1b"] : new[] { "resnet18_v1", "mobilenetv2_1.0", "densenet121" };
        var tasks = models
            .SelectMany(m => TaskExtraction.Extract(ModelZoo.Build(m), Target.Host))
            .Select(t => t.Task).Where(t => t.Name == taskName).DistinctBy(t => t.Workload).ToList();
        Assert.True(tasks.Count >= 2, $"{taskName}: {tasks.Count} zoo workloads");
        var representative = tasks.MaxBy(t => t.Template.Shapes(t.Workload).DataElements)!;
        var dependent = tasks.Where(t => t != representative).MinBy(t => t.Template.Flops(t.Workload))!;

        var (space, stats) = ScheduleSharing.Share(dependent, representative, StandInRecords(representative, 40, seed: 7), DependMode.Parse("top10"));

        Assert.Equal(10, stats.Offered);
        Assert.Equal(0, stats.Unmappable);
        Assert.True(space.Size > 0);
        KernelChecker.CheckAll(dependent.Template, dependent.Workload, space.Configs, seed: 13);
    }

    /// <summary>A 56x56 Winograd task's configs shared into a 7x7 one, whose output holds 4 F(4,3) tiles (16 F(2,3)
    /// ones): tile counts above those clamp to the same kernel, which the shared space keeps once.</summary>
    [Fact]
    public void Configs_that_make_the_same_kernel_in_the_dependent_are_shared_once()
    {
        static TuningTask Winograd(int c, int hw) => new(Conv2dWinogradTemplate.Instance,
            Conv2dWinogradTemplate.Workload([1, c, hw, hw], [c, c, 3, 3], [1, 1, 1, 1]), Target.Host);
        var representative = Winograd(64, 56);
        var dependent = Winograd(512, 7);
        var (space, stats) = ScheduleSharing.Share(dependent, representative, StandInRecords(representative, 100, seed: 5), DependMode.Parse("100%"));

        var kernels = space.Configs.Select(c => dependent.Template.EmitKernel(dependent.Workload, c, "K")).ToList();
        Assert.Equal(kernels.Count, kernels.Distinct(StringComparer.Ordinal).Count());
        Assert.True(stats.Duplicates > 0, stats.ToString());
        Assert.Equal(stats.Offered, stats.Shared + stats.Duplicates + stats.Unmappable);
    }

    [Fact]
    public void A_config_valid_in_both_spaces_maps_exactly()
    {
        var representative = Conv(32, 28, 32);
        var dependent = Conv(32, 14, 32);
        var config = Conv2dNchwTemplate.Config(representative.Space, 16, 6, 2, 32, [1, 0, 2], "oc", true, "oh");
        var (mapped, outcome) = ConfigMapper.Map(config, dependent.Space);
        Assert.Equal(ConfigMapper.Outcome.Exact, outcome);
        Assert.Equal(config.EntityJson().ToJsonString(), mapped!.EntityJson().ToJsonString());
    }

    [Fact]
    public void Five_percent_shares_the_best_five_percent_not_one()
    {
        var task = Conv(16, 14, 16);
        var (space, stats) = ScheduleSharing.Share(task, task, StandInRecords(task, 60, seed: 5), DependMode.Parse("5%"));
        Assert.Equal(3, stats.Offered);
        Assert.Equal(3, space.Size);
    }

    /// <summary>Costs in no order, and failed trials among the fastest: what is shared is the representative's N
    /// lowest-cost valid trials, best first (here dependent and representative are one workload, so each config
    /// maps to itself).</summary>
    [Fact]
    public void A_dependent_is_given_its_representatives_best_valid_configs_by_cost()
    {
        var task = Conv(16, 14, 16);
        var random = new Random(9);
        var configs = Enumerable.Range(0, 60).Select(_ => task.Space.Get(random.NextInt64(task.Space.Size))).DistinctBy(c => c.Index).ToList();
        var costs = configs.Select(_ => 1e-3 * (1 + random.NextDouble())).ToList();
        // Every fourth trial failed, with a cost that would put it first were errors not skipped.
        var records = configs.Select((c, i) => TuningRecord.From(new MeasureInput(task, c), i % 4 == 0
            ? new MeasureResult([1e-6], MeasureErrorNo.WrongAnswer, 0.1, 1700000000)
            : new MeasureResult([costs[i]], MeasureErrorNo.NoError, 0.1, 1700000000))).ToList();

        var (space, stats) = ScheduleSharing.Share(task, task, records, DependMode.Parse("top5"));

        var expected = configs.Select((c, i) => (c.Index, Cost: costs[i], Valid: i % 4 != 0))
            .Where(t => t.Valid).OrderBy(t => t.Cost).Take(5).Select(t => t.Index);
        Assert.Equal(expected, space.Configs.Select(c => c.Index));
        Assert.Equal(5, stats.Exact);
    }
}
