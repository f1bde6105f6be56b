namespace Tessel.Measure;

/// <summary>The timing protocol (AutoTVM's <c>measure_option</c> with BenchmarkDotNet's stages in mind):
/// a kernel is first checked against the reference, warmed up, then timed <see cref="Repeat"/> times;
/// each repeat calls it <see cref="Number"/> times, or more until the repeat lasts at least
/// <see cref="MinRepeatMs"/>. The costs kept are one mean per repeat.</summary>
public sealed record MeasureOptions
{
    /// <summary>Calls per repeat, at least (raised to reach <see cref="MinRepeatMs"/>).</summary>
    public int Number { get; init; } = 1;

    public int Repeat { get; init; } = 3;

    public double MinRepeatMs { get; init; } = 10;

    /// <summary>Untimed calls before timing (the first call also checks correctness).</summary>
    public int WarmUp { get; init; } = 1;

    /// <summary>Wall time one kernel may take for its whole measurement before it counts as hung.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan BuildTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Pause between repeats, to let the clock settle.</summary>
    public double CooldownMs { get; init; }

    /// <summary>Threads a kernel may use; default all cores.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    public bool CheckCorrectness { get; init; } = true;

    /// <summary>Relative tolerance of the correctness check.</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Evict the caches before every timed call (<see cref="Timing.CacheFlush"/>), each call then timed
    /// alone: cold-cache times, as a layer inside a large model meets its weights. <see cref="MinRepeatMs"/> then
    /// counts only the kernel's time, so keep it small.</summary>
    public bool FlushCache { get; init; }

    public void Validate()
    {
        if (Number < 1) throw new ArgumentOutOfRangeException(nameof(Number), $"number must be >= 1, got {Number}");
        if (Repeat < 1) throw new ArgumentOutOfRangeException(nameof(Repeat), $"repeat must be >= 1, got {Repeat}");
        if (MinRepeatMs < 0) throw new ArgumentOutOfRangeException(nameof(MinRepeatMs), $"min_repeat_ms must be >= 0, got {MinRepeatMs}");
        if (Threads < 1) throw new ArgumentOutOfRangeException(nameof(Threads), $"threads must be >= 1, got {Threads}");
        if (RunTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RunTimeout), "run timeout must be positive");
    }
}
