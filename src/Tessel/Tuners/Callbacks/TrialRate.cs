using System.Collections.Concurrent;
using Tessel.Measure;
using Tessel.Tasks;

namespace Tessel.Tuners.Callbacks;

/// <summary>Wall-clock seconds per measured trial since this was made (build, measurement and the tuners' own work
/// between batches all in it): what a run bounded by time expects the trials still to come to cost; and how many
/// tasks have had a trial.</summary>
public sealed class TrialRate(TimeProvider? clock = null) : ITuneCallback
{
    private readonly TimeProvider clock = clock ?? TimeProvider.System;
    private readonly long start = (clock ?? TimeProvider.System).GetTimestamp();
    private readonly ConcurrentDictionary<TuningTask, bool> tasks = [];
    private int trials;

    public int Trials => Volatile.Read(ref trials);

    /// <summary>Tasks with at least one trial measured.</summary>
    public int Tasks => tasks.Count;

    /// <summary>Zero before the first trial (nothing is known yet).</summary>
    public double SecondsPerTrial => Trials is var n and > 0 ? clock.GetElapsedTime(start).TotalSeconds / n : 0;

    public void OnTrial(TuningTask task, MeasureInput input, MeasureResult result)
    {
        tasks.TryAdd(task, true);
        Interlocked.Increment(ref trials);
    }
}
