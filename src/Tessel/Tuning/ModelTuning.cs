using Tessel.Selective;
using Tessel.Tasks;

namespace Tessel.Tuning;

/// <summary>Tunes the tasks of a model into the session's store: the one flow behind <c>tune</c>, <c>compare</c>
/// and the benches. Tasks already tuned are skipped, the rest planned (selection, tuned workloads), and then tuned
/// in full or in the RFC's two passes. Last, each task's fastest configs are measured again (the session's
/// <see cref="TuningSession.Remeasure"/>), so the best a runtime uses is not one lucky measurement; under a deadline, tuning
/// stops in time for that.</summary>
public static class ModelTuning
{
    /// <param name="describe">how messages name a task (default: its name and workload)</param>
    public static async Task<ModelTuningResult> RunAsync(
        IReadOnlyList<TuningTask> tasks, ModelTuningOptions options, TuningSession session, Func<TuningTask, string>? describe = null)
    {
        describe ??= t => t.ToString();
        var toTune = tasks.ToList();
        var outcomes = new List<TaskOutcome>();
        var skipped = new HashSet<TuningTask>();
        var plan = DependencePlan.None;
        if (options.SkipTuned is not null || options.ShareTuned)
        {
            var tuned = new TunedWorkloads(session.Store.Read(session.Warn));
            if (options.SkipTuned is { } n)
            {
                skipped.UnionWith(toTune.Where(t => tuned.ValidTrials(t) >= n));
                toTune.RemoveAll(skipped.Contains);
                outcomes.AddRange(skipped.Select(t => new TaskOutcome(t, true, tuned.Recorded(t), null)));
                session.Inform?.Invoke($"{skipped.Count} of {tasks.Count} tasks already have >= {n} valid trials in {session.Store.Name}: not tuned again");
            }
            if (options.ShareTuned)
            {
                var marked = tuned.MarkDependOnTuned(toTune, options.SkipTuned ?? 1, options.MinSimilarity, options.Definition);
                plan = DependencePlan.Of(marked.Select(m => (m.Task, m.Representative)));
                foreach (var (task, representative, similarity) in marked)
                    session.Inform?.Invoke($"{describe(task)} has no record: shares the schedules of {describe(representative)} (similarity {similarity:G3})");
            }
        }
        // Under a deadline, tuning stops in time to re-measure the bests: one a task (most hold at their first re-measurement), but
        // never more than a tenth of the budget — the run's first trials, priced with the cold compiler, would leave a short budget
        // nothing; a re-measuring round cut short by the deadline still ends within its batch.
        var tenth = session.Options.Deadline?.Budget.TotalSeconds / 10 ?? 0;
        var tuning = session.LeavingTimeFor(rate => session.Remeasure == 0 || rate.SecondsPerTrial == 0 ? 0 : Math.Min(toTune.Count, tenth / rate.SecondsPerTrial));
        if (options.Selective)
            plan = plan.With(TaskSelection.MarkDepend(toTune.Where(t => !plan.IsDependent(t)).ToList(), options.MinSimilarity, options.Definition));
        if (options.Selective || plan.Dependents > 0)
            outcomes.AddRange(await SelectiveTuning.RunAsync(toTune, plan, options.Sharing, tuning).ConfigureAwait(false));
        else
        {
            var results = await FullTuning.RunAsync(toTune, tuning).ConfigureAwait(false);
            outcomes.AddRange(toTune.Select((task, i) => new TaskOutcome(task, true, results[i], null)));
        }
        var remeasured = await BestRemeasure.RunAsync(toTune, session, session.Remeasure).ConfigureAwait(false);
        if (remeasured.Configs > 0)
        {
            var records = session.Store.Read(session.Warn);
            outcomes = [.. outcomes.Select(o => skipped.Contains(o.Task) ? o : o with { Result = BestRemeasure.Rebest(o.Result, o.Task, records) })];
        }
        return new ModelTuningResult(outcomes, plan, skipped) { Remeasured = remeasured };
    }
}
