namespace Tessel.Measure.Timing;

/// <summary>Seconds per call over the timed repeats (or, for candidates timed in turns, over the rounds).</summary>
public sealed record LatencyStats(double Min, double Median, double Max, long CallsPerRepeat)
{
    /// <summary>The stats of a set of per-call times.</summary>
    public static LatencyStats Of(IEnumerable<double> seconds, long callsPerRepeat)
    {
        var sorted = seconds.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no times", nameof(seconds));
        return new LatencyStats(sorted[0], sorted[sorted.Length / 2], sorted[^1], callsPerRepeat);
    }
}
