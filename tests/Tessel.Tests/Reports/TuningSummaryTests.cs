using Tessel.Graph.Zoo;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Reports;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Tests.Reports;

/// <summary>What a report reads out of a log, on a stand-in log of SqueezeNet 1.1 written as the two passes write one
/// (stand-in costs; no kernel is run): representatives tuned in full, dependents given their representative's best
/// schedules, one of them searching on, one not tuned at all.</summary>
public sealed class TuningSummaryTests
{
    private static readonly IReadOnlyList<ExtractedTask> Tasks = TaskExtraction.Extract(ModelZoo.Build("squeezenet1.1"), Target.Host);
    private static readonly Selection Chosen = TaskSelection.Select(Tasks.Select(t => t.Task).ToList());
    private static readonly DependMode Top3 = DependMode.Parse("top3");

    private sealed class StandInLog
    {
        public List<TuningRecord> Records { get; } = [];
        private double clock = 1_700_000_000;

        public void Add(TuningTask task, Tessel.Spaces.ConfigEntity config, double? seconds, MeasureErrorNo error = MeasureErrorNo.NoError) =>
            Records.Add(TuningRecord.From(new MeasureInput(task, config),
                new MeasureResult(seconds is { } s ? [s] : [], error, 0.5, clock += 0.5)));
    }

    /// <param name="pool">where given, each dependent tries the last three of its representative's schedules mapped under
    /// this pool (as a ranking model might pick), not the best three</param>
    private static (StandInLog Log, int Refined, int Untouched) SelectiveLog(DependMode? pool = null)
    {
        var log = new StandInLog();
        var random = new Random(5);
        foreach (var r in Chosen.Representatives)
        {
            var task = Tasks[r].Task;
            for (var i = 0; i < 12; i++)
                log.Add(task, task.Space.Get(random.NextInt64(task.Space.Size)), i == 4 ? null : 1e-3 * (1 + random.NextDouble()), i == 4 ? MeasureErrorNo.WrongAnswer : 0);
        }
        var dependents = Enumerable.Range(0, Tasks.Count).Where(i => Chosen.Depend[i] != i).ToList();
        var (refined, untouched) = (dependents[0], dependents[^1]);
        foreach (var d in dependents.Where(d => d != untouched))
        {
            var task = Tasks[d].Task;
            var (shared, _) = ScheduleSharing.Share(task, Tasks[Chosen.Depend[d]].Task, log.Records, pool ?? Top3);
            foreach (var config in pool is null ? shared.Configs : shared.Configs.TakeLast(3)) log.Add(task, config, 2e-3 * (1 + random.NextDouble()));
            if (d == refined)
                for (var i = 0; i < 2; i++) log.Add(task, task.Space.Get(random.NextInt64(task.Space.Size)), 1e-4);
        }
        return (log, refined, untouched);
    }

    [Fact]
    public void A_selective_log_reads_as_representatives_in_full_dependents_shared_or_refined_and_the_rest_untuned()
    {
        var (log, refined, untouched) = SelectiveLog();
        var summary = TuningSummary.Of(Tasks, Chosen, Top3, log.Records);

        Assert.True(summary.Selective);
        Assert.Equal(log.Records.Count, summary.Trials);
        for (var i = 0; i < Tasks.Count; i++)
        {
            var task = summary.Tasks[i];
            var representative = Tasks[Chosen.Depend[i]].Id;
            Assert.Equal(representative, task.RepresentativeId);
            var expected = i == Chosen.Depend[i] ? TreatmentKind.TunedInFull : i == refined ? TreatmentKind.Refined : i == untouched ? TreatmentKind.NotTuned : TreatmentKind.Shared;
            Assert.Equal(expected, task.Treatment.Kind);
            if (expected is TreatmentKind.Shared or TreatmentKind.Refined) Assert.Contains($"of {representative}'s best schedules", task.Treatment.Text);
        }
        Assert.Contains("then 2 trials of its own search", summary.Tasks[refined].Treatment.Text);
        Assert.False(summary.Tasks[untouched].Tuned);
    }

    [Fact]
    public void With_a_share_pool_a_dependent_that_tried_any_schedules_of_the_pool_reads_as_shared()
    {
        var pool = DependMode.Parse("100%");
        var (log, refined, untouched) = SelectiveLog(pool);
        var pooled = TuningSummary.Of(Tasks, Chosen, Top3, log.Records, sharePool: pool);
        Assert.True(pooled.Selective);
        Assert.All(pooled.Tasks.Where((t, i) => Chosen.Depend[i] != i && i != refined && i != untouched),
            t => Assert.Equal(TreatmentKind.Shared, t.Treatment.Kind));
        // Read as if only the best three were shared, the dependents that tried others of the pool are not.
        var unpooled = TuningSummary.Of(Tasks, Chosen, Top3, log.Records);
        Assert.Contains(unpooled.Tasks, t => !t.IsRepresentative && t.Treatment.Kind == TreatmentKind.TunedInFull);
    }

    [Fact]
    public void Each_task_has_its_best_its_errors_by_code_and_a_curve_that_never_falls()
    {
        var (log, _, _) = SelectiveLog();
        var summary = TuningSummary.Of(Tasks, Chosen, Top3, log.Records);
        foreach (var task in summary.Tasks.Where(t => t.Tuned))
        {
            var own = log.Records.Where(r => r.Workload.Equals(task.Task.Task.Workload) && r.TaskName == task.Task.Task.Name).ToList();
            Assert.Equal(own.Where(r => r.Result.IsValid).Min(r => r.Result.MeanCost), task.BestSeconds);
            Assert.Equal(own.Count(r => !r.Result.IsValid), task.ErrorCount);
            Assert.Equal(task.Trials, task.Curve.Count);
            Assert.Equal(task.BestGflops, task.Curve[^1].BestGflops, 9);
            Assert.True(task.Curve.Zip(task.Curve.Skip(1)).All(p => p.Second.BestGflops >= p.First.BestGflops && p.Second.Seconds >= p.First.Seconds));
        }
        Assert.All(summary.Tasks.Where(t => t.IsRepresentative), t => Assert.Equal(1, t.Errors[MeasureErrorNo.WrongAnswer]));
        Assert.Equal(log.Records.Count * 0.5, summary.TrialSeconds, 6);
    }

    [Fact]
    public void A_full_log_reads_as_every_task_tuned_in_full_and_a_log_of_other_workloads_as_empty()
    {
        var log = new StandInLog();
        var random = new Random(9);
        foreach (var task in Tasks)
            for (var i = 0; i < 5; i++) log.Add(task.Task, task.Task.Space.Get(random.NextInt64(task.Task.Space.Size)), 1e-3);
        var summary = TuningSummary.Of(Tasks, Chosen, Top3, log.Records);
        Assert.False(summary.Selective);
        Assert.All(summary.Tasks, t => Assert.Equal(TreatmentKind.TunedInFull, t.Treatment.Kind));

        var other = TaskExtraction.Extract(ModelZoo.Build("resnet18_v1"), Target.Host)
            .Where(t => !Tasks.Any(s => s.Task.Workload.Equals(t.Task.Workload))).Select(t => t.Task).First();
        var foreign = new StandInLog();
        foreign.Add(other, other.Space.Get(0), 1e-3);
        Assert.Equal(0, TuningSummary.Of(Tasks, Chosen, Top3, foreign.Records).Trials);
    }
}
