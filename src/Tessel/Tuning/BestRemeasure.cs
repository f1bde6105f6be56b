using System.Diagnostics;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Tuners;

namespace Tessel.Tuning;

/// <summary>A best that is not luck: before a task's best is shared or used, its fastest few valid configs are measured
/// again, one after another in one batch per round (the same protocol as any trial), and written to the log as
/// re-measurements (<see cref="TuningRecord.Remeasured"/>), which stand for those configs from then on: the best is the
/// fastest re-measured one. A config already re-measured is not measured again; a task with one valid config has nothing
/// to rank and is skipped.</summary>
public static class BestRemeasure
{
    /// <summary>What re-measuring did: configs measured, tasks whose best config changed, wall clock spent.</summary>
    public sealed record Outcome(int Configs, int Tasks, int BestsChanged, TimeSpan Elapsed)
    {
        public static Outcome None { get; } = new(0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Re-measures the <paramref name="top"/> fastest valid configs of each task into the session's store (in rounds of
    /// the session's batch size, none started once its deadline has passed).</summary>
    public static async Task<Outcome> RunAsync(IReadOnlyList<TuningTask> tasks, TuningSession session, int top)
    {
        if (top < 1 || tasks.Count == 0) return Outcome.None;
        var clock = Stopwatch.StartNew();
        var records = session.Store.Read(session.Warn);
        var done = records.Where(r => r.Remeasured).Select(r => (r.WorkloadKey, r.ConfigIndex)).ToHashSet();
        var before = new Dictionary<TuningTask, long>();
        var inputs = new List<MeasureInput>();
        foreach (var task in tasks)
        {
            var ranked = Fastest(records, task, top);
            if (ranked.Count < 2) continue;
            var key = TuningRecord.KeyOf(task.Target.Text, task.Workload);
            var fresh = ranked.Where(c => !done.Contains((key, c.Index))).ToList();
            if (fresh.Count == 0) continue;
            before[task] = ranked[0].Index;
            inputs.AddRange(fresh.Select(c => new MeasureInput(task, c)));
        }
        if (inputs.Count == 0) return Outcome.None;

        var measured = 0;
        using (var writer = session.Store.OpenAppender())
            foreach (var round in inputs.Chunk(Math.Max(session.Options.BatchSize, top)))
            {
                if (session.Options.Deadline is { Passed: true }) break;
                await session.Measurer.MeasureAsync(round, session.Cancellation,
                    (i, result) => writer.Append(TuningRecord.From(round[i], result) with { Remeasured = true })).ConfigureAwait(false);
                measured += round.Length;
            }
        var after = session.Store.Read(session.Warn);
        var changed = before.Count(b => Fastest(after, b.Key, 1) is [var best] && best.Index != b.Value);
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
