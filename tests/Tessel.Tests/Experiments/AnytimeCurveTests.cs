using Tessel.Experiments;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Tests.Support;

namespace Tessel.Tests.Experiments;

/// <summary>How an anytime curve is read: a log cut at a moment, the time a curve first reaches a latency, the latency a run
/// stopped at a moment leaves, and the share of full tuning's speed-up.</summary>
public sealed class AnytimeCurveTests
{
    private static readonly AnytimeCurve Curve = new([new(30, 8.0), new(10, 10.0), new(60, 7.5), new(20, 9.0)]);

    [Fact]
    public void A_cut_keeps_the_records_written_by_then_in_log_order()
    {
        var task = ToyTemplate.Task();
        var records = Enumerable.Range(0, 6).Select(i => TuningRecord.From(new MeasureInput(task, task.Space.Get(i)),
            new MeasureResult([1e-3], MeasureErrorNo.NoError, 0.5, 1000 + 10 * i)) with { Remeasured = i == 5 }).ToList();

        var cut = AnytimeCurve.Prefix(records, start: 995, seconds: 25);

        Assert.Equal([0, 1, 2], cut.Select(r => (int)r.ConfigIndex));
        Assert.Empty(AnytimeCurve.Prefix(records, 995, 4));
        Assert.Equal(records, AnytimeCurve.Prefix(records, 995, 100)); // the re-measurement at the end is in the whole log's cut
    }

    [Fact]
    public void The_time_to_reach_a_latency_is_the_first_point_at_or_below_it()
    {
        Assert.Equal(20, Curve.TimeToReach(9.0));
        Assert.Equal(30, Curve.TimeToReach(8.5));
        Assert.Equal(10, Curve.TimeToReach(12));
        Assert.Null(Curve.TimeToReach(7.0));
    }

    [Fact]
    public void A_run_stopped_between_points_leaves_the_last_points_latency()
    {
        Assert.Null(Curve.LatencyAt(9.9));
        Assert.Equal(10.0, Curve.LatencyAt(10));
        Assert.Equal(9.0, Curve.LatencyAt(29));
        Assert.Equal(7.5, Curve.LatencyAt(1000));
    }

    [Fact]
    public void The_share_of_speed_up_runs_from_none_at_the_untuned_latency_to_all_at_full_tunings()
    {
        Assert.Equal(0, AnytimeCurve.ShareOfSpeedup(untunedMs: 10, fullMs: 5, latencyMs: 10), 12);
        Assert.Equal(1, AnytimeCurve.ShareOfSpeedup(10, 5, 5), 12);
        Assert.Equal(0.5, AnytimeCurve.ShareOfSpeedup(10, 5, 10 / 1.5), 12); // 1.5x of full tuning's 2x
        Assert.True(AnytimeCurve.ShareOfSpeedup(10, 5, 4) > 1); // faster than full tuning
    }
}
