using Tessel.Measure;

namespace Tessel.Cluster.Protocol;

/// <summary>The measurement protocol a tuner asks its workers to use (<see cref="MeasureOptions"/>'s fields that travel).</summary>
[GenerateSerializer, Immutable]
public sealed record MeasureSettings(
    [property: Id(0)] int Repeat,
    [property: Id(1)] double MinRepeatMs,
    [property: Id(2)] int Threads,
    [property: Id(3)] double RunTimeoutSeconds,
    [property: Id(4)] bool FlushCache)
{
    public static MeasureSettings From(MeasureOptions options) =>
        new(options.Repeat, options.MinRepeatMs, options.Threads, options.RunTimeout.TotalSeconds, options.FlushCache);

    public MeasureOptions ToOptions() => new()
    {
        Repeat = Repeat, MinRepeatMs = MinRepeatMs, Threads = Threads, RunTimeout = TimeSpan.FromSeconds(RunTimeoutSeconds), FlushCache = FlushCache,
    };
}
