using Tessel.Scheduling;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Tuners.Callbacks;

namespace Tessel.Tuning;

/// <summary>Tunes several tasks from one total trial budget in rounds, the task of each round chosen by a
/// <see cref="TaskAllocation"/>. Each task keeps one tuner for the whole run, so a model-based or genetic
/// search continues where its last round stopped; the tuners are offered the log's records of other
/// workloads (transfer), each task resumes its own logged trials (they count toward the budget), and every trial
/// is appended to the log as it is measured. A round is the session's batch size (at most its trials).</summary>
public static class ScheduledTuning
{
    public static async Task<IReadOnlyList<TuneResult>> RunAsync(
        IReadOnlyList<TuningTask> tasks, SchedulingStrategy strategy, int totalTrials, TuningSession session)
    {
        if (totalTrials < 0) throw new ArgumentOutOfRangeException(nameof(totalTrials), $"total trials must be >= 0, got {totalTrials}");
        var round = session.Options with { Trials = Math.Min(session.Options.BatchSize, session.Options.Trials) };

        // Similar tasks share a template; implementations of one operator (direct and Winograd) share its key.
        var allocation = new TaskAllocation(
            tasks.Select(t => new SchedulableTask(t.Count, t.Flops, t.Name, t.Operator)).ToList(),
            strategy, seed: session.Seed);
        var results = new TuneResult?[tasks.Count];
        var records = session.Store.Read(session.Warn);
        using var writer = session.Store.OpenAppender();
        var log = new OpenLog(session.Store, records, new AppendEachTrial(writer));
        IReadOnlyList<ITuneCallback> callbacks = [log.Writer, .. session.Observers];
        // Every task's logged trials are resumed at once and count toward the budget from the start: a rerun of
        // a finished run measures nothing new. Each task's first round hands its logged trials to its tuner.
        var tuners = tasks.Select(session.CreateTuner).ToArray();
        var previous = tasks.Select((t, i) => TaskTuning.Resume(t, tuners[i], log, session.Warn)).ToArray();
        var spent = previous.Sum(p => p.Count);
        // A task with logged trials has had its first round: the scheduler starts from its best rather than giving it another.
        for (var i = 0; i < tasks.Count; i++)
            if (previous[i].Count > 0)
                allocation.Report(i, previous[i].Where(p => p.Result.IsValid).Select(p => p.Result.MeanCost).DefaultIfEmpty(double.PositiveInfinity).Min(),
                    previous[i].Count < tasks[i].Space.Size);
        var rounds = 0;
        while (spent < totalTrials && session.Options.Deadline is not { Passed: true } && allocation.Next() is var i and >= 0)
        {
            var task = tasks[i];
            var resumed = results[i] is null ? previous[i] : [];
            var options = round with
            {
                Trials = Math.Min(round.Trials, totalTrials - spent) + resumed.Count, Resume = resumed, StartFrom = results[i] is null ? session.StartOf(task) : [],
            };
            var result = await tuners[i].TuneAsync(task, session.Measurer, options, callbacks, session.Cancellation).ConfigureAwait(false);
            spent += result.Trials - resumed.Count;
            results[i] = results[i] is { } before ? TrialBudget.Merge(before, result) : result;
            allocation.Report(i, results[i]!.BestSeconds, tuners[i].HasNext && result.Trials > 0);
            session.OnRound?.Invoke(new ScheduledRound(++rounds, task, spent, totalTrials, results[i]!));
        }
        // A task the budget never reached still reports what its logged trials found (nothing new is measured).
        for (var i = 0; i < tasks.Count; i++)
            if (results[i] is null && previous[i].Count > 0)
                results[i] = await tuners[i].TuneAsync(tasks[i], session.Measurer, round with { Trials = previous[i].Count, Resume = previous[i] },
                    [log.Writer], session.Cancellation).ConfigureAwait(false);
        return tasks.Select((t, i) => results[i] ?? TrialBudget.Nothing(t)).ToList();
    }
}
