using Tessel.Records;

namespace Tessel.Experiments;

/// <summary>One point of an anytime curve: the model's measured latency with what tuning had written after so many
/// seconds of wall clock.</summary>
public readonly record struct AnytimePoint(double Seconds, double LatencyMs);

/// <summary>A model's latency against tuning wall clock, a step per point (between points the latency is the last
/// point's): what a user who stops tuning at any moment gets. Full tuning's curve is read off one run's log (every record
/// is written as it is measured, so the records of its first t seconds are what a run stopped at t would have left);
/// selective tuning's, from runs under a budget each, since a budget changes what it does first.</summary>
public sealed record AnytimeCurve(IReadOnlyList<AnytimePoint> Points)
{
    /// <summary>The points in time order.</summary>
    public IReadOnlyList<AnytimePoint> Points { get; } = [.. Points.OrderBy(p => p.Seconds)];

    /// <summary>The records of a log written within <paramref name="seconds"/> of <paramref name="start"/> (unix seconds): the
    /// log of a run stopped then.</summary>
    public static IReadOnlyList<TuningRecord> Prefix(IEnumerable<TuningRecord> records, double start, double seconds) =>
        [.. records.Where(r => r.Result.Timestamp <= start + seconds)];

    /// <summary>The first time the curve is at or below <paramref name="latencyMs"/>; null where it never gets there.</summary>
    public double? TimeToReach(double latencyMs) =>
        Points.Where(p => p.LatencyMs <= latencyMs).Select(p => (double?)p.Seconds).FirstOrDefault();

    /// <summary>The latency a run stopped at <paramref name="seconds"/> leaves (the last point by then); null before the first point.</summary>
    public double? LatencyAt(double seconds) =>
        Points.Where(p => p.Seconds <= seconds).Select(p => (double?)p.LatencyMs).LastOrDefault();

    /// <summary>Transfer-Tuning's measure: of the speed-up full tuning reaches over the untuned model (every kernel its
    /// template's default), the share <paramref name="latencyMs"/> reaches, as (untuned / latency - 1) / (untuned / full - 1).</summary>
    public static double ShareOfSpeedup(double untunedMs, double fullMs, double latencyMs) => (untunedMs / latencyMs - 1) / (untunedMs / fullMs - 1);
}
