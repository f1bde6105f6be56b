using Tessel.Measure;
using Tessel.Records;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Tuners.Callbacks;

namespace Tessel.Scheduling;

/// <summary>Tunes several tasks from one total trial budget in rounds, the task of each round chosen by a
/// <see cref="TaskAllocation"/>. Each task keeps one tuner for the whole run, so a model-based or genetic
/// search continues where its last round stopped; the tuners are offered the log's records of other
/// workloads (transfer), each task resumes its own logged trials (they count toward the budget), and every trial
/// is appended to the log as it is measured.</summary>
public static class TaskScheduler
{
    public static async Task<IReadOnlyList<TuneResult>> RunAsync(
        IReadOnlyList<TuningTask> tasks,
        SchedulingStrategy strategy,
        int totalTrials,
        Func<TuningTask, Tuner> createTuner,
        IMeasurer measurer,
        TuneOptions round,
        IRecordStore store,
        Action<ScheduledRound>? onRound = null,
        Action<string>? warn = null,
        int? seed = null,
        CancellationToken cancellationToken = default)
    {
        if (totalTrials < 0) throw new ArgumentOutOfRangeException(nameof(totalTrials), $"total trials must be >= 0, got {totalTrials}");

        // Similar tasks share a template; implementations of one operator (direct and Winograd) share args.
        var allocation = new TaskAllocation(
            tasks.Select(t => new SchedulableTask(t.Count, t.Flops, t.Name, t.Target.Text + " " + t.Workload.Args.ToJsonString())).ToList(),
            strategy, seed: seed);
        var results = new TuneResult?[tasks.Count];
        var records = store.Read(warn);
        using var writer = store.OpenAppender();
        var log = new OpenLog(store, records, new LogToFile(writer));
        // Every task's logged trials are resumed at once and count toward the budget from the start: a rerun of
        // a finished run measures nothing new. Each task's first round hands its logged trials to its tuner.
        var tuners = tasks.Select(createTuner).ToArray();
        var previous = tasks.Select((t, i) => TaskTuning.Resume(t, tuners[i], log, warn)).ToArray();
        var spent = previous.Sum(p => p.Count);
        var rounds = 0;
        while (spent < totalTrials && allocation.Next() is var i and >= 0)
        {
            var task = tasks[i];
            var options = round with { Trials = Math.Min(round.Trials, totalTrials - spent), Resume = [] };
            var resumed = results[i] is null ? previous[i] : [];
            options = options with { Trials = options.Trials + resumed.Count, Resume = resumed };
            var result = await tuners[i].TuneAsync(task, measurer, options, [log.Writer], cancellationToken).ConfigureAwait(false);
            spent += result.Trials - resumed.Count;
            results[i] = results[i] is { } before ? Merge(before, result) : result;
            allocation.Report(i, results[i]!.BestSeconds, tuners[i].HasNext && result.Trials > 0);
            onRound?.Invoke(new ScheduledRound(++rounds, task, spent, totalTrials, results[i]!));
        }
        // A task the budget never reached still reports what its logged trials found (nothing new is measured).
        for (var i = 0; i < tasks.Count; i++)
            if (results[i] is null && previous[i].Count > 0)
                results[i] = await tuners[i].TuneAsync(tasks[i], measurer, round with { Trials = previous[i].Count, Resume = previous[i] }, [log.Writer], cancellationToken).ConfigureAwait(false);
        return tasks.Select((t, i) => results[i] ?? new TuneResult(null, double.PositiveInfinity, 0, 0, 0, false, TimeSpan.Zero, t.Flops)).ToList();
    }

    /// <summary>A task's outcome over all its rounds.</summary>
    private static TuneResult Merge(TuneResult a, TuneResult b) =>
        (b.BestSeconds < a.BestSeconds ? b : a) with
        {
            Trials = a.Trials + b.Trials,
            Measured = a.Measured + b.Measured,
            Errors = a.Errors + b.Errors,
            StoppedEarly = b.StoppedEarly,
            Elapsed = a.Elapsed + b.Elapsed,
        };
}
