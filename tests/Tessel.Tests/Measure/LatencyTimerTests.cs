using Tessel.Measure.Timing;

namespace Tessel.Tests.Measure;

/// <summary>The timing engine on a fake clock that each call advances by a set amount: the protocol's warm-up,
/// pilot and repeats, and candidates measured in turns.</summary>
public class LatencyTimerTests
{
    private long now;

    private LatencyTimer Timer() => new(new RepeatTimer(() => now, ticksPerSecond: 1_000_000));

    /// <summary>A candidate whose every call takes <paramref name="microseconds"/>, logging its calls by name.</summary>
    private Action<long> Candidate(string name, long microseconds, List<(string Name, long Calls)> log) => calls =>
    {
        log.Add((name, calls));
        now += calls * microseconds;
    };

    [Fact]
    public void A_measurement_warms_up_then_pilots_to_the_repeat_length_and_times_each_repeat()
    {
        var log = new List<(string, long)>();
        var stats = Timer().Measure(Candidate("a", 250, log), new LatencyProtocol(WarmUpCalls: 2, MinRepeatMs: 1, Repeats: 3));
        Assert.Equal(250e-6, stats.Median, 12);
        Assert.Equal(4, stats.CallsPerRepeat); // 4 x 250 us = 1 ms
        Assert.Equal(("a", 2L), log[0]);
        Assert.Equal([4L, 4L, 4L], log.TakeLast(3).Select(c => c.Item2));
    }

    [Fact]
    public void Candidates_in_turns_are_warmed_up_once_and_alternate_which_goes_first()
    {
        var log = new List<(string Name, long Calls)>();
        var stats = Timer().InTurns([Candidate("a", 100, log), Candidate("b", 300, log)], LatencyProtocol.SingleCalls(1), rounds: 3);
        Assert.Equal(["a", "b", "a", "b", "b", "a", "a", "b"], log.Select(c => c.Name));
        Assert.Equal(100e-6, stats[0].Median, 12);
        Assert.Equal(300e-6, stats[1].Min, 12);
    }
}
