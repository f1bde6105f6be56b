namespace Tessel.OnnxRuntime;

/// <summary>Seconds per call over the timed repeats.</summary>
public sealed record LatencyStats(double Min, double Median, double Max, long CallsPerRepeat);
