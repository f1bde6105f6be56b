using Tessel.Measure;
using Tessel.Records;
using Tessel.Selective;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Templates.Conv2d;
using Tessel.Workloads;

namespace Tessel.Tests.Selective;

public class SharedConfigRankingTests
{
    private static readonly Target Avx512 = new("tessel-cpu -isa=avx512");

    private static TuningTask Conv(int channels, int width, int outChannels) => new(Conv2dNchwTemplate.Instance,
        Conv2dNchwTemplate.Workload([1, channels, width, width], [outChannels, channels, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1), Avx512);

    /// <summary>A stand-in cost (nothing is built or run), a function of the loop nest the template describes
    /// for the config in its own task: vector lanes computed past the channel edge are wasted, and the best
    /// register tile holds 32 accumulators. A 32-channel tile is perfect on the 32-channel representative and
    /// wastes a quarter of its lanes on the 24-channel dependent, where 16 or 8 channels are best.</summary>
    private static double StandInSeconds(TuningTask task, ConfigEntity config)
    {
        var nest = Conv2dNchwTemplate.Instance.LoopNest(task.Workload)(config);
        return 1e-3 * (1 + 4 * (1 - nest.LaneUse) + 0.5 * Math.Abs(Math.Log2(nest.Accumulators) - 5));
    }

    private static List<TuningRecord> StandInTrials(TuningTask task, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => task.Space.Get(random.NextInt64(task.Space.Size))).DistinctBy(c => c.Index)
            .Select(c => TuningRecord.From(new MeasureInput(task, c),
                new MeasureResult([StandInSeconds(task, c)], MeasureErrorNo.NoError, 0.1, 1700000000)))
            .ToList();
    }

    /// <summary>A 32-channel representative with stand-in trials, and a 24-channel dependent on a smaller plane.</summary>
    private static (TuningTask Representative, TuningTask Dependent, List<TuningRecord> Records) Pair(int trials)
    {
        var representative = Conv(32, 28, 32);
        return (representative, Conv(16, 9, 24), StandInTrials(representative, trials, seed: 5));
    }

    [Fact]
    public void From_a_pool_the_dependent_gets_its_representatives_best_and_model_picks_that_suit_it_better_than_the_next_best()
    {
        var (representative, dependent, records) = Pair(trials: 300);

        var (rfc, rfcStats) = ScheduleSharing.Share(dependent, representative, records, DependMode.Parse("top5"));
        var (ranked, stats) = ScheduleSharing.Share(dependent, representative, records, DependMode.Parse("top5"), DependMode.Parse("100%"), seed: 1);

        Assert.Null(rfcStats.Picked);
        Assert.True(stats.PickedByModel, stats.ToString());
        Assert.Equal(5, stats.Picked);
        Assert.Equal(5, (int)ranked.Size);
        Assert.True(stats.Offered > 200, stats.ToString());
        Assert.All(ranked.Configs, c => Assert.Same(dependent.Space, c.Space));
        Assert.Equal(rfc.Configs[0].Index, ranked.Configs[0].Index);
        double Mean(IEnumerable<ConfigEntity> configs) => configs.Average(c => StandInSeconds(dependent, c));
        string D(SharedSpace s) => string.Join("; ", s.Configs.Select(c
            => { var x = Conv2dSchedule.From(c); return $"ow{x.TileOw} oc{x.TileOc} v{x.VecOc} {StandInSeconds(dependent, c) * 1e3:F2}"; }));
        var picked = Mean(ranked.Configs.Skip(1));
        var nextBest = Mean(rfc.Configs.Skip(1));
        Assert.True(picked < 0.8 * nextBest, D(ranked) + " || " + D(rfc) + " || " +
            $"mean stand-in cost on the dependent: model-picked {picked * 1e3:F3} ms, representative's 2nd-5th {nextBest * 1e3:F3} ms");
    }

    [Fact]
    public void Asked_for_one_config_from_a_pool_the_dependent_gets_its_representatives_best()
    {
        var (representative, dependent, records) = Pair(trials: 300);
        var (rfc, _) = ScheduleSharing.Share(dependent, representative, records, DependMode.Parse("top1"));
        var (pooled, stats) = ScheduleSharing.Share(dependent, representative, records, DependMode.Parse("top1"), DependMode.Parse("100%"), seed: 1);

        Assert.False(stats.PickedByModel);
        Assert.Equal(rfc.Configs.Select(c => c.Index), pooled.Configs.Select(c => c.Index));
    }

    [Fact]
    public void Without_records_enough_to_fit_a_model_the_pool_is_taken_best_first()
    {
        var (representative, dependent, records) = Pair(trials: 12);
        var (space, stats) = ScheduleSharing.Share(dependent, representative, records, DependMode.Parse("top3"), DependMode.Parse("100%"), seed: 1);
        var (best, _) = ScheduleSharing.Share(dependent, representative, records, DependMode.Parse("top3"));

        Assert.False(stats.PickedByModel);
        Assert.Equal(best.Configs.Select(c => c.Index), space.Configs.Select(c => c.Index));
    }
}
