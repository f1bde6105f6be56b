using Tessel.Measure;
using Tessel.Records;
using Tessel.Scheduling;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Tuners.Callbacks;

namespace Tessel.Tuning;

/// <summary>The RFC's two passes over a <see cref="DependencePlan"/>: pass 1 tunes every representative in full,
/// pass 2 gives every dependent its representative's best schedules, read back from the log, searched by the grid
/// tuner. Everything goes to one log, so an interrupted run continues where it stopped and a selective log can
/// later be extended by full tuning. Under a wall-clock budget (<see cref="TuneOptions.Deadline"/>) pass 1 stops early
/// enough to leave pass 2 its time, priced at the run's own seconds per trial, and whatever time pass 2 leaves goes to
/// rounds of the gradient scheduler over every task (pass 3: anytime tuning, each round to the task that cuts the
/// model's latency most).</summary>
public static class SelectiveTuning
{
    private sealed record SideBySideLoop(TuningTask Task, Tuner Tuner, TuneOptions Options, string Prefix);

    public static async Task<IReadOnlyList<TaskOutcome>> RunAsync(
        IReadOnlyList<TuningTask> tasks, DependencePlan plan, SelectiveTuningOptions options, TuningSession session)
    {
        var representatives = tasks.Where(t => !plan.IsDependent(t)).ToList();
        var others = tasks.Where(plan.IsDependent).ToList();
        var (store, warn, cancellationToken) = (session.Store, session.Warn, session.Cancellation);
        var outcomes = new List<TaskOutcome>();

        var deadline = session.Options.Deadline;
        var tuned = await FullTuning.RunAsync(representatives, deadline is null ? session : LeavingTimeForPass2(session, representatives.Count, others.Count, options),
                i => $"[Sel Task {i + 1,2}/{representatives.Count,2}] ")
            .ConfigureAwait(false);
        outcomes.AddRange(representatives.Select((task, i) => new TaskOutcome(task, true, tuned[i], null)));
        // What a representative shares is its best re-measured, not one lucky measurement.
        var remeasured = await BestRemeasure.RunAsync(representatives, session, session.Remeasure).ConfigureAwait(false);
        if (remeasured.Configs > 0)
            session.Inform?.Invoke($"re-measured the best of {remeasured.Tasks} representatives ({remeasured.Configs} configs, {remeasured.Elapsed.TotalSeconds:F1} s) " +
                $"before sharing it: the best changed on {remeasured.BestsChanged}");

        // Pass 2, side by side: every dependent's shared configs are measured in one gathered batch, then (with
        // refine) every dependent's refine trials, so each step pays one compilation rather than one per dependent.
        var records = store.Read(warn);
        var sharing = new (TuningTask Task, string Prefix, SharedSpace Shared, MappingStats Stats)[others.Count];
        // One ranking model per core at a time, so that each pick's time in the stats is its own.
        Parallel.For(0, others.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, i =>
        {
            var task = others[i];
            var (shared, stats) = ScheduleSharing.Share(task, plan.RepresentativeOf(task), records, options.DependMode, options.SharePool, session.Seed);
            // The best config of its zero-trial start leads its shared ones, within its budget (one with none to share is tuned
            // in full, from its start).
            var start = session.StartOf(task).Take(1).ToList();
            sharing[i] = (task, $"[Other Task {i + 1,2}/{others.Count,2}] ", shared.Size > 0 ? shared.LedBy(start) : shared, stats);
        });
        var results = new Dictionary<TuningTask, TuneResult>();
        var served = sharing.Where(s => s.Shared.Size > 0).ToList();
        var sharedLoops = served.Select(s => new SideBySideLoop(s.Task, new GridTuner(s.Shared),
            session.Options with { Trials = (int)s.Shared.Size, EarlyStopping = null }, s.Prefix)).ToList();
        // Nothing was written since the sharing read the log: the shared step starts from those records.
        var sharedResults = await TuneSideBySideAsync(sharedLoops, records).ConfigureAwait(false);
        for (var i = 0; i < served.Count; i++) results[served[i].Task] = sharedResults[i];
        if (options.Refine > 0)
        {
            // Seeded with the shared trials: each tuner resumes them from the log and learns from them first. The
            // budget is the task's total (shared + refine), not what this run measured plus refine: a re-run resumes
            // every trial of the task, and must not refine again.
            var refineLoops = served.Select(s => new SideBySideLoop(s.Task, session.CreateTuner(s.Task),
                session.Options with { Trials = (int)s.Shared.Size + options.Refine }, s.Prefix + "refine ")).ToList();
            // Read again: the refine step's tuners learn from every dependent's shared trials.
            var refined = await TuneSideBySideAsync(refineLoops, store.Read(warn)).ConfigureAwait(false);
            // The refine step resumed the shared trials (counted in its trials, best and errors); what it did not
            // measure itself, the shared step did.
            for (var i = 0; i < served.Count; i++)
                results[served[i].Task] = refined[i] with
                {
                    Measured = refined[i].Measured + sharedResults[i].Measured,
                    Elapsed = refined[i].Elapsed + sharedResults[i].Elapsed,
                };
        }
        foreach (var (task, prefix, _, _) in sharing.Where(s => s.Shared.Size == 0))
        {
            if (deadline is not null)
            {
                // Tuned in full one after another, it would take the whole budget: the rounds of pass 3 reach it instead.
                warn?.Invoke($"{task}: its representative has no valid trials to share; left to the rounds that follow");
                results[task] = TrialBudget.Nothing(task);
                continue;
            }
            warn?.Invoke($"{task}: its representative has no valid trials to share; tuning it in full");
            results[task] = await TaskTuning.RunAsync(task, session, prefix).ConfigureAwait(false);
        }
        outcomes.AddRange(sharing.Select(s => new TaskOutcome(s.Task, false, results[s.Task], s.Stats)));
        if (deadline is null || deadline.Passed) return outcomes;

        return await SpendWhatIsLeftAsync(outcomes, session).ConfigureAwait(false);

        async Task<TuneResult[]> TuneSideBySideAsync(IReadOnlyList<SideBySideLoop> loops, IReadOnlyList<TuningRecord> logged)
        {
            using var writer = store.OpenAppender();
            var log = new OpenLog(store, logged, new AppendEachTrial(writer));
            var gathered = new CoalescingMeasurer(session.Measurer, loops.Count);
            var callbacks = loops.Select(l => session.ProgressOf(l.Task, l.Prefix, l.Options.Trials)).ToList();
            return await Task.WhenAll(loops.Select((loop, i) => Task.Run(async () =>
            {
                try
                {
                    return await TaskTuning.RunAsync(loop.Task, loop.Tuner, gathered, loop.Options, log, callbacks[i], warn,
                        cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    gathered.Leave();
                }
            }, cancellationToken))).ConfigureAwait(false);
        }
    }

    /// <summary>Pass 1's session under a deadline: every representative gets its first round (the scheduler gives each task one
    /// before any second), then pass 1 stops in time for pass 2 — each dependent's shared configs and refine trials and the
    /// representatives' re-measured bests, priced at pass 1's own seconds per trial with half again for pass 2's own steps —
    /// and for its own last batch, which may overrun.</summary>
    private static TuningSession LeavingTimeForPass2(TuningSession session, int representatives, int dependents, SelectiveTuningOptions options)
    {
        // A P% mode's count is of the representative's valid trials, not known yet: priced as of at most 200 (a run bounded by
        // time alone has no cap on them).
        var pass2Trials = dependents * (options.DependMode.Count(Math.Min(session.Options.Trials, 200)) + options.Refine)
            + representatives * Math.Min(2, session.Remeasure);
        return session.LeavingTimeFor(rate => rate.Tasks < representatives ? 0 : 1.5 * pass2Trials + session.Options.BatchSize) with
        {
            Strategy = session.Strategy == SchedulingStrategy.Sequential ? SchedulingStrategy.Gradient : session.Strategy,
        };
    }

    /// <summary>Pass 3, under a deadline: the time pass 2 left, in rounds of the gradient scheduler to whichever task gains most
    /// (every task resumes its trials so far); each outcome then counts what it measured in every pass.</summary>
    private static async Task<IReadOnlyList<TaskOutcome>> SpendWhatIsLeftAsync(IReadOnlyList<TaskOutcome> outcomes, TuningSession session)
    {
        var all = outcomes.Select(o => o.Task).ToList();
        var more = await ScheduledTuning.RunAsync(all, SchedulingStrategy.Gradient, TrialBudget.Total(all, session.Options.Trials), session).ConfigureAwait(false);
        return outcomes.Select((o, i) => o with
        {
            Result = more[i] with { Measured = more[i].Measured + o.Result.Measured, Elapsed = more[i].Elapsed + o.Result.Elapsed },
        }).ToList();
    }
}
