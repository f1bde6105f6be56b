using Tessel.Measure;
using Tessel.Records;
using Tessel.Selective;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Tests.Support;
using Tessel.Tuners;
using Tessel.Tuning;

namespace Tessel.Tests.Tuning;

/// <summary>A best that is not luck, on the stand-in measurer (named as such): the toy task's default config measures 100x too
/// fast the first time only, as a lucky measurement would, and its true cost is among the worst of the space.</summary>
public sealed class BestRemeasureTests : IDisposable
{
    private readonly string log = Path.Combine(Path.GetTempPath(), $"tessel-remeasure-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(log);

    /// <summary>The stand-in measurer, lucky once for each task's config of index 0 (every task's default, measured in its first batch).</summary>
    private static StandInMeasurer LuckyOnce()
    {
        var seen = new HashSet<(object, long)>();
        return new StandInMeasurer(c => c.Index == 0 && seen.Add((c.Space, c.Index)) ? StandInMeasurer.DefaultCost(c) / 100 : StandInMeasurer.DefaultCost(c));
    }

    private TuningSession Session(IMeasurer measurer, int remeasure) =>
        TuningSession.Named(measurer, new LogFile(log), new TuneOptions { Trials = 30, BatchSize = 8 }, "random", 1) with { Remeasure = remeasure };

    [Fact]
    public async Task The_fastest_re_measured_config_replaces_a_lucky_best_in_the_outcome_the_log_and_history_best()
    {
        var task = ToyTemplate.Task(48);
        var lucky = task.DefaultConfig;
        Assert.Equal(0, lucky.Index);

        // Without re-measuring, the lucky measurement is the best.
        var unchecked_ = await ModelTuning.RunAsync([task], new ModelTuningOptions(), Session(LuckyOnce(), remeasure: 0));
        Assert.Equal(lucky.Index, unchecked_.Outcomes[0].Result.BestConfig!.Index);
        File.Delete(log);

        var measurer = LuckyOnce();
        var result = await ModelTuning.RunAsync([task], new ModelTuningOptions(), Session(measurer, remeasure: 3));
        // 30 trials; then the lucky best measured again, falls behind, and the new fastest is measured again and holds.
        Assert.Equal(32, measurer.Measured.Count);
        Assert.Equal((2, 1, 1), (result.Remeasured.Configs, result.Remeasured.Tasks, result.Remeasured.BestsChanged));
        var best = result.Outcomes[0].Result;
        Assert.NotEqual(lucky.Index, best.BestConfig!.Index);

        var records = RecordReader.Read(log);
        Assert.Equal(2, records.Count(r => r.Remeasured));
        // The log's reader, the runtime's history best and resuming all rank the lucky config at its re-measured cost.
        var history = new HistoryBest(records).Find(task.Target, task.Workload)!;
        Assert.Equal(best.BestConfig.Index, history.Best!.ConfigIndex);
        Assert.Equal(best.BestSeconds, history.MeanSeconds);
        Assert.Equal(30, history.Trials);
        var (trials, _) = TaskTrials.From(records, task);
        Assert.Equal(30, trials.Count);
        Assert.Equal(StandInMeasurer.DefaultCost(lucky), trials.Single(t => t.Config.Index == lucky.Index).Result.MeanCost);

        // A second run finds the best re-measured already and measures nothing.
        var again = new StandInMeasurer();
        var rerun = await ModelTuning.RunAsync([task], new ModelTuningOptions(), Session(again, remeasure: 3));
        Assert.Empty(again.Measured);
        Assert.Equal(0, rerun.Remeasured.Configs);
    }

    [Fact]
    public async Task A_start_measured_slow_by_bad_luck_is_measured_again_and_becomes_the_best()
    {
        // The default (the task's start, index 0) is truly the fastest config, below the bowl's floor, but its first
        // measurement is 3x the bowl's floor: slower than most of the space, as a 2-thread trial that lost a core measures.
        var task = ToyTemplate.Task(48);
        StandInMeasurer UnluckyOnce()
        {
            var seen = new HashSet<long>();
            return new StandInMeasurer(c => c.Index != 0 ? StandInMeasurer.DefaultCost(c) : seen.Add(c.Index) ? 3e-3 : 0.5e-3);
        }

        // A cap of one re-measures the best alone: the start stays where its unlucky measurement put it.
        var capped = await ModelTuning.RunAsync([task], new ModelTuningOptions(), Session(UnluckyOnce(), remeasure: 1));
        Assert.NotEqual(0, capped.Outcomes[0].Result.BestConfig!.Index);
        File.Delete(log);

        var measurer = UnluckyOnce();
        var result = await ModelTuning.RunAsync([task], new ModelTuningOptions(), Session(measurer, remeasure: 3));
        // 30 trials; then the best and the start, in one round; the start, re-measured, is the best and was measured again already.
        Assert.Equal(32, measurer.Measured.Count);
        Assert.Equal(2, measurer.Batches[^1]);
        Assert.Equal((2, 1, 1), (result.Remeasured.Configs, result.Remeasured.Tasks, result.Remeasured.BestsChanged));
        Assert.Equal((0L, 0.5e-3), (result.Outcomes[0].Result.BestConfig!.Index, result.Outcomes[0].Result.BestSeconds));
    }

    [Fact]
    public async Task A_representatives_best_is_re_measured_before_its_dependents_are_given_it()
    {
        List<TuningTask> tasks = [ToyTemplate.Task(48), ToyTemplate.Task(40), ToyTemplate.Task(24), ToyTemplate.Task(60)];
        var plan = TaskSelection.MarkDepend(tasks, threshold: 0.05);
        var representative = tasks.Single(t => !plan.IsDependent(t) && tasks.Any(d => plan.IsDependent(d) && plan.RepresentativeOf(d) == t));
        var outcomes = await SelectiveTuning.RunAsync(tasks, plan, new SelectiveTuningOptions { DependMode = DependMode.Parse("top1") },
            Session(LuckyOnce(), remeasure: 3));

        var records = RecordReader.Read(log).ToList();
        var firstDependentTrial = records.FindIndex(r => tasks.Any(d => plan.IsDependent(d) && d.Workload.Equals(r.Workload)));
        var remeasuredAt = records.FindIndex(r => r.Remeasured && r.Workload.Equals(representative.Workload));
        Assert.InRange(remeasuredAt, 0, firstDependentTrial - 1);
        // Each dependent was given its representative's re-measured best, not the lucky default (the configs of index 0 map onto index 0).
        Assert.All(outcomes.Where(o => plan.IsDependent(o.Task) && plan.RepresentativeOf(o.Task) == representative),
            o => Assert.NotEqual(0, o.Result.BestConfig!.Index));
    }
}
