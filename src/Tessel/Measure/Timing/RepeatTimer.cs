namespace Tessel.Measure.Timing;

/// <summary>The timed part of the protocol, with the clock injected so that it can be tested with a fake one.
/// A pilot picks the calls per repeat once (at least <c>number</c>, enough for a repeat to last
/// <c>minRepeatMs</c>); then every repeat makes that many calls and its mean per call is kept. With
/// <c>beforeEachCall</c> (a cache flush), every call is prepared by it and timed alone, the preparation untimed.</summary>
public sealed class RepeatTimer(Func<long> clock, long ticksPerSecond, Action<double>? sleepMs = null)
{
    /// <summary>A pilot stops doubling once a run lasts this share of the wanted repeat time.</summary>
    private const double PilotShare = 0.125;

    private const long MaxCalls = 1L << 40;

    public static RepeatTimer System { get; } =
        new(global::System.Diagnostics.Stopwatch.GetTimestamp, global::System.Diagnostics.Stopwatch.Frequency, ms => Thread.Sleep(TimeSpan.FromMilliseconds(ms)));

    /// <summary>Seconds that <paramref name="run"/> takes for <paramref name="calls"/> calls.</summary>
    public double Time(Action<long> run, long calls, Action? beforeEachCall = null)
    {
        if (beforeEachCall is null)
        {
            var start = clock();
            run(calls);
            return (clock() - start) / (double)ticksPerSecond;
        }
        long ticks = 0;
        for (long i = 0; i < calls; i++)
        {
            beforeEachCall();
            var start = clock();
            run(1);
            ticks += clock() - start;
        }
        return ticks / (double)ticksPerSecond;
    }

    /// <summary>Calls per repeat: at least <paramref name="number"/>, raised so that a repeat lasts <paramref name="minRepeatMs"/>.</summary>
    public long PilotCalls(Action<long> run, int number, double minRepeatMs, Action? beforeEachCall = null)
    {
        if (minRepeatMs <= 0) return number;
        var wanted = minRepeatMs / 1000.0;
        long calls = number;
        double previous = 0;
        while (true)
        {
            var seconds = Time(run, calls, beforeEachCall);
            // Doubling the calls about doubles the time; a jump far past that is the run preempted (another process on
            // the core), not the kernel: one more look before the repeats are sized on it (a 1 us call timed 2 ms once
            // made repeats of 2 calls, each mostly the clock's own cost).
            if (previous > 0 && seconds > 4 * previous) seconds = Math.Min(seconds, Time(run, calls, beforeEachCall));
            if (seconds >= wanted) return calls;
            if (seconds >= wanted * PilotShare) return Math.Max(number, (long)Math.Ceiling(calls * wanted / seconds));
            if (calls >= MaxCalls) return calls;
            previous = seconds;
            calls *= 2;
        }
    }

    /// <summary>One mean seconds per call for each of <paramref name="repeat"/> repeats of <paramref name="calls"/> calls.</summary>
    public double[] Repeats(Action<long> run, long calls, int repeat, double cooldownMs, Action? beforeEachCall = null)
    {
        var costs = new double[repeat];
        for (var r = 0; r < repeat; r++)
        {
            if (r > 0 && cooldownMs > 0) sleepMs?.Invoke(cooldownMs);
            costs[r] = Time(run, calls, beforeEachCall) / calls;
        }
        return costs;
    }
}
