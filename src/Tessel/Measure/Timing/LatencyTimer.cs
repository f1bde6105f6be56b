namespace Tessel.Measure.Timing;

/// <summary>Measures latencies by the <see cref="LatencyProtocol"/>, on the <see cref="RepeatTimer"/> the worker
/// times trials with (its clock injectable for tests).</summary>
public sealed class LatencyTimer(RepeatTimer timer)
{
    public static LatencyTimer System { get; } = new(RepeatTimer.System);

    /// <summary>Seconds per call of <paramref name="calls"/> (which makes the given number of calls).</summary>
    public LatencyStats Measure(Action<long> calls, LatencyProtocol protocol)
    {
        if (protocol.WarmUpCalls > 0) calls(protocol.WarmUpCalls);
        var perRepeat = timer.PilotCalls(calls, 1, protocol.MinRepeatMs);
        return LatencyStats.Of(timer.Repeats(calls, perRepeat, Math.Max(1, protocol.Repeats), cooldownMs: 0), perRepeat);
    }

    /// <summary>Every candidate warmed up first, then measured once per round (without more warm-up), all of them in
    /// every round, the order reversed every other round so that none is always first: per candidate, the stats of
    /// its <paramref name="rounds"/> medians.</summary>
    public IReadOnlyList<LatencyStats> InTurns(IReadOnlyList<Action<long>> candidates, LatencyProtocol protocol, int rounds)
    {
        if (protocol.WarmUpCalls > 0)
            foreach (var candidate in candidates) candidate(protocol.WarmUpCalls);
        protocol = protocol with { WarmUpCalls = 0 };
        var medians = candidates.Select(_ => new List<double>()).ToArray();
        var calls = new long[candidates.Count];
        for (var round = 0; round < Math.Max(1, rounds); round++)
            for (var k = 0; k < candidates.Count; k++)
            {
                var i = round % 2 == 0 ? k : candidates.Count - 1 - k;
                var stats = Measure(candidates[i], protocol);
                medians[i].Add(stats.Median);
                calls[i] = stats.CallsPerRepeat;
            }
        return medians.Select((m, i) => LatencyStats.Of(m, calls[i])).ToList();
    }
}
