using System.Diagnostics;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Tuners;

namespace Tessel.Tuning;

/// <summary>A best that is not luck: before a task's best is shared or used, it is measured again (the same protocol as any
/// trial, every task's in one batch per round) and written to the log as a re-measurement (<see cref="TuningRecord.Remeasured"/>),
/// which stands for that config from then on. Where the re-measured config is no longer the fastest, the new fastest is
/// measured again in the next round, up to a number of configs per task: the best a task ends with is a re-measured config
/// (unless that cap is reached), at the price of one re-measurement per task where the first measurement held.</summary>
public static class BestRemeasure
{
    /// <summary>What re-measuring did: configs measured, tasks whose best config changed, wall clock spent.</summary>
    public sealed record Outcome(int Configs, int Tasks, int BestsChanged, TimeSpan Elapsed)
    {
        public static Outcome None { get; } = new(0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Re-measures each task's fastest valid config, and the next fastest while the re-measured one falls behind, at most
    /// <paramref name="cap"/> configs per task over all runs, into the session's store (no round started once its deadline has passed).</summary>
    public static async Task<Outcome> RunAsync(IReadOnlyList<TuningTask> tasks, TuningSession session, int cap)
    {
        if (cap < 1 || tasks.Count == 0) return Outcome.None;
        var clock = Stopwatch.StartNew();
        var records = session.Store.Read(session.Warn);
        var before = new Dictionary<TuningTask, long>();
        // Configs re-measured by an earlier run count toward the cap: a rerun does not start over.
        var earlier = records.Where(r => r.Remeasured).Select(r => (r.WorkloadKey, r.ConfigIndex)).Distinct().CountBy(k => k.WorkloadKey)
            .ToDictionary(c => c.Key, c => c.Value);
        var spent = tasks.ToDictionary(t => t, t => earlier.GetValueOrDefault(TuningRecord.KeyOf(t.Target.Text, t.Workload)));
        var measured = 0;
        for (var round = 0; round < cap; round++)
        {
            var done = records.Where(r => r.Remeasured).Select(r => (r.WorkloadKey, r.ConfigIndex)).ToHashSet();
            var inputs = new List<MeasureInput>();
            foreach (var task in tasks)
            {
                // One valid config has no rival to lose to: nothing to check.
                if (spent[task] >= cap || Fastest(records, task, 2) is not [var best, _]) continue;
                if (done.Contains((TuningRecord.KeyOf(task.Target.Text, task.Workload), best.Index))) continue;
                before.TryAdd(task, best.Index);
                inputs.Add(new MeasureInput(task, best));
                spent[task]++;
            }
            if (inputs.Count == 0 || session.Options.Deadline is { Passed: true }) break;
            using (var writer = session.Store.OpenAppender())
                await session.Measurer.MeasureAsync(inputs, session.Cancellation,
                    (i, result) => writer.Append(TuningRecord.From(inputs[i], result) with { Remeasured = true })).ConfigureAwait(false);
            measured += inputs.Count;
            records = session.Store.Read(session.Warn);
        }
        var changed = before.Count(b => Fastest(records, b.Key, 1) is [var best] && best.Index != b.Value);
        return new Outcome(measured, before.Count, changed, clock.Elapsed);
    }

    /// <summary>A task's outcome with its best as the records now rank it (re-measurements in place).</summary>
    public static TuneResult Rebest(TuneResult result, TuningTask task, IReadOnlyList<TuningRecord> records)
    {
        var best = TaskTrials.From(records, task).Trials.Where(t => t.Result.IsValid).OrderBy(t => t.Result.MeanCost).ThenBy(t => t.Config.Index).FirstOrDefault();
        return best.Config is null ? result : result with { BestConfig = best.Config, BestSeconds = best.Result.MeanCost };
    }

    /// <summary>The task's <paramref name="top"/> fastest valid configs as the records now rank them (re-measurements in place).</summary>
    private static List<ConfigEntity> Fastest(IReadOnlyList<TuningRecord> records, TuningTask task, int top) =>
        [.. TaskTrials.From(records, task).Trials.Where(t => t.Result.IsValid).OrderBy(t => t.Result.MeanCost).ThenBy(t => t.Config.Index).Take(top)
            .Select(t => t.Config)];
}
