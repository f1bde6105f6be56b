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
/// (unless that cap is reached), at the price of one re-measurement per task where the first measurement held. The first
/// round also measures again where the task started (<see cref="StartBehind"/>), when that is not the best: one more
/// config per such task.</summary>
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
        var records = session.Store.Read(session.Warn).ToList();
        // Configs re-measured already (by an earlier run too) are not measured again, and count toward the cap.
        var done = records.Where(r => r.Remeasured).Select(r => (r.WorkloadKey, r.ConfigIndex)).ToHashSet();
        var spent = tasks.ToDictionary(t => t, t => done.Count(d => d.WorkloadKey == KeyOf(t)));
        var before = new Dictionary<TuningTask, long>();
        var measured = 0;
        for (var round = 0; round < cap; round++)
        {
            var inputs = new List<MeasureInput>();
            foreach (var task in tasks)
            {
                if (spent[task] >= cap) continue;
                var ranked = Ranked(records, task).ToList();
                // One valid config has no rival to lose to: nothing to check.
                if (ranked is not [var best, _, ..] || done.Contains((KeyOf(task), best.Config.Index))) continue;
                before.TryAdd(task, best.Config.Index);
                inputs.Add(new MeasureInput(task, best.Config));
                spent[task]++;
                if (round == 0 && spent[task] < cap && StartBehind(ranked, task, session) is { } start && !done.Contains((KeyOf(task), start.Index)))
                {
                    inputs.Add(new MeasureInput(task, start));
                    spent[task]++;
                }
            }
            if (inputs.Count == 0 || session.Options.Deadline is { Passed: true }) break;
            IReadOnlyList<MeasureResult> results;
            using (var writer = session.Store.OpenAppender())
                results = await session.Measurer.MeasureAsync(inputs, session.Cancellation, (i, result) => writer.Append(Remeasurement(inputs[i], result)))
                    .ConfigureAwait(false);
            // What was written is what the store now holds beyond what was read: no need to read it again.
            var remeasured = inputs.Select((input, i) => Remeasurement(input, results[i])).ToList();
            records.AddRange(remeasured);
            done.UnionWith(remeasured.Select(r => (r.WorkloadKey, r.ConfigIndex)));
            measured += inputs.Count;
        }
        var changed = before.Count(b => Ranked(records, b.Key).FirstOrDefault().Config?.Index is { } best && best != b.Value);
        return new Outcome(measured, before.Count, changed, clock.Elapsed);
    }

    /// <summary>A task's outcome with its best as the records now rank it (re-measurements in place).</summary>
    public static TuneResult Rebest(TuneResult result, TuningTask task, IReadOnlyList<TuningRecord> records) =>
        Ranked(records, task).FirstOrDefault() is { Config: not null } best ? result with { BestConfig = best.Config, BestSeconds = best.Result.MeanCost } : result;

    /// <summary>Where the task's tuning started (its zero-trial start and its template's default), the fastest of those
    /// measured, when it is not the best of <paramref name="ranked"/> (the task's trials, fastest first): a start measured slow by bad luck (a 2-thread kernel whose second thread lost its
    /// core for the trial measures at 1-thread speed) would otherwise never be looked at again, and tuning could end
    /// slower than it started.</summary>
    private static ConfigEntity? StartBehind(IReadOnlyList<(ConfigEntity Config, MeasureResult Result)> ranked, TuningTask task, TuningSession session)
    {
        var starts = session.StartOf(task).Select(c => c.Index).Append(task.DefaultConfig.Index).ToHashSet();
        return ranked.Select(t => t.Config).FirstOrDefault(c => starts.Contains(c.Index)) is { } start
            && start.Index != ranked[0].Config.Index ? start : null;
    }

    /// <summary>The task's valid trials, fastest first, as the records now rank them (re-measurements in place).</summary>
    private static IEnumerable<(ConfigEntity Config, MeasureResult Result)> Ranked(IReadOnlyList<TuningRecord> records, TuningTask task) =>
        TaskTrials.From(records, task).Trials.Where(t => t.Result.IsValid).OrderBy(t => t.Result.MeanCost).ThenBy(t => t.Config.Index);

    private static TuningRecord Remeasurement(MeasureInput input, MeasureResult result) => TuningRecord.From(input, result) with { Remeasured = true };

    private static string KeyOf(TuningTask task) => TuningRecord.KeyOf(task.Target.Text, task.Workload);
}
