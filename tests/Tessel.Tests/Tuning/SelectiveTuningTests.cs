using Tessel.Tuning;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Scheduling;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Tests.Support;
using Tessel.Tuners;

namespace Tessel.Tests.Tuning;

public sealed class SelectiveTuningTests : IDisposable
{
    private readonly string log = Path.Combine(Path.GetTempPath(), $"tessel-selective-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(log);

    private static List<TuningTask> Tasks() => [ToyTemplate.Task(48), ToyTemplate.Task(40), ToyTemplate.Task(24), ToyTemplate.Task(60)];

    private static SelectiveTuningOptions Options => new() { DependMode = DependMode.Parse("top5") };

    /// <summary>30 trials per representative of the random tuner, seed 1, on a stand-in measurer.</summary>
    private TuningSession Session(IMeasurer measurer, string? path = null) =>
        TuningSession.Named(measurer, new LogFile(path ?? log), new TuneOptions { Trials = 30, BatchSize = 8 }, "random", 1);

    private static int Representatives(IReadOnlyList<TuningTask> tasks, DependencePlan plan) => tasks.Count - plan.Dependents;

    [Fact]
    public async Task Representatives_get_the_full_budget_and_dependents_exactly_their_shared_configs()
    {
        var tasks = Tasks();
        var plan = TaskSelection.MarkDepend(tasks, threshold: 0.05);
        Assert.True(Representatives(tasks, plan) < tasks.Count);
        var measurer = new StandInMeasurer();
        var outcomes = await SelectiveTuning.RunAsync(tasks, plan, Options, Session(measurer));

        var sharedCounts = outcomes.Where(o => !o.Representative).Sum(o => o.Sharing!.Shared);
        Assert.Equal(Representatives(tasks, plan) * 30 + sharedCounts, measurer.Measured.Count);
        Assert.All(outcomes.Where(o => !o.Representative), o => Assert.InRange(o.Sharing!.Shared, 1, 5));
        Assert.Equal(measurer.Measured.Count, RecordReader.Read(log).Count);
    }

    [Fact]
    public async Task With_a_share_pool_each_dependent_measures_the_depend_modes_count_picked_from_all_its_representatives_trials()
    {
        var tasks = Tasks();
        var plan = TaskSelection.MarkDepend(tasks, threshold: 0.05);
        var measurer = new StandInMeasurer();
        var outcomes = await SelectiveTuning.RunAsync(tasks, plan, Options with { SharePool = DependMode.Parse("100%") }, Session(measurer));

        var dependents = outcomes.Where(o => !o.Representative).ToList();
        Assert.NotEmpty(dependents);
        Assert.All(dependents, o =>
        {
            Assert.True(o.Sharing!.Offered >= 25, o.Sharing.ToString());
            Assert.Equal(5, o.Sharing.Measured);
            Assert.True(o.Sharing.PickedByModel, o.Sharing.ToString());
            Assert.Equal(5, o.Result.Trials);
        });
        Assert.Equal(Representatives(tasks, plan) * 30 + dependents.Count * 5, measurer.Measured.Count);
    }

    [Fact]
    public async Task With_refine_each_dependent_measures_its_shared_configs_then_k_new_configs_of_its_own_space()
    {
        var tasks = Tasks();
        var plan = TaskSelection.MarkDepend(tasks, threshold: 0.05);
        var measurer = new StandInMeasurer();
        var outcomes = await SelectiveTuning.RunAsync(tasks, plan, Options with { DependMode = DependMode.Parse("top2"), Refine = 3 }, Session(measurer));

        var dependents = outcomes.Where(o => !o.Representative).ToList();
        Assert.NotEmpty(dependents);
        Assert.All(dependents, o => Assert.Equal(o.Sharing!.Shared + 3, o.Result.Trials));
        Assert.All(dependents, o => Assert.Equal(o.Sharing!.Shared + 3, o.Result.Measured));
        Assert.Equal(Representatives(tasks, plan) * 30 + dependents.Sum(o => o.Sharing!.Shared + 3), measurer.Measured.Count);
        // Pass 2 runs the dependents side by side: all their shared configs in one batch, then all refine trials in one.
        Assert.True(dependents.Count >= 2, $"{dependents.Count} dependents");
        Assert.Equal([dependents.Sum(o => o.Sharing!.Shared), dependents.Count * 3], measurer.Batches.TakeLast(2));
        // Refine trials continue the task's search: nothing it measured is measured again.
        var perTask = measurer.Measured.GroupBy(m => m.Task).ToList();
        Assert.All(perTask, g => Assert.Equal(g.Count(), g.Select(m => m.Config.Index).Distinct().Count()));

        // Run again on the finished log: everything resumes, nothing is refined twice.
        var again = new StandInMeasurer();
        var rerun = Tasks();
        await SelectiveTuning.RunAsync(rerun, TaskSelection.MarkDepend(rerun, threshold: 0.05),
            Options with { DependMode = DependMode.Parse("top2"), Refine = 3 }, Session(again));
        Assert.Empty(again.Measured);
    }

    [Fact]
    public async Task With_the_gradient_scheduler_the_representatives_share_their_total_budget_in_rounds()
    {
        var tasks = Tasks();
        var plan = TaskSelection.MarkDepend(tasks, threshold: 0.05);
        var measurer = new StandInMeasurer();
        var rounds = new List<ScheduledRound>();
        var outcomes = await SelectiveTuning.RunAsync(tasks, plan, Options,
            Session(measurer) with { Strategy = SchedulingStrategy.Gradient, OnRound = rounds.Add });

        var representatives = outcomes.Where(o => o.Representative).ToList();
        Assert.Equal(Representatives(tasks, plan) * 30, representatives.Sum(o => o.Result.Trials));
        Assert.All(representatives, o => Assert.True(o.Result.Trials >= 8, $"{o.Task}: {o.Result.Trials} trials"));
        Assert.All(rounds, r => Assert.False(plan.IsDependent(r.Task)));
        Assert.NotEmpty(rounds);
        var sharedCounts = outcomes.Where(o => !o.Representative).Sum(o => o.Sharing!.Shared);
        Assert.Equal(Representatives(tasks, plan) * 30 + sharedCounts, measurer.Measured.Count);
    }

    [Fact]
    public async Task An_interrupted_run_continues_where_it_stopped_without_measuring_anything_twice()
    {
        var uninterrupted = new StandInMeasurer();
        var reference = Tasks();
        await SelectiveTuning.RunAsync(reference, TaskSelection.MarkDepend(reference, threshold: 0.05), Options, Session(uninterrupted, log + ".ref"));
        File.Delete(log + ".ref");

        var tasks = Tasks();
        var plan = TaskSelection.MarkDepend(tasks, threshold: 0.05);
        var interrupted = new StoppingMeasurer(stopAfter: 40);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SelectiveTuning.RunAsync(tasks, plan, Options, Session(interrupted)));
        var resumed = new StandInMeasurer();
        await SelectiveTuning.RunAsync(tasks, plan, Options, Session(resumed));

        var logged = RecordReader.Read(log);
        Assert.Equal(uninterrupted.Measured.Count, logged.Count);
        Assert.Equal(logged.Count, logged.Select(r => r.WorkloadKey + r.ConfigIndex).Distinct().Count());
    }

    [Fact]
    public async Task A_dependent_whose_representative_has_no_valid_trial_is_tuned_in_full_with_a_warning()
    {
        var tasks = Tasks();
        var plan = TaskSelection.MarkDepend(tasks, threshold: 0.05);
        var warnings = new List<string>();
        var allFail = new StandInMeasurer(fails: c => true);
        var outcomes = await SelectiveTuning.RunAsync(tasks, plan, Options, Session(allFail) with { Warn = warnings.Add });
        Assert.All(outcomes, o => Assert.Equal(30, o.Result.Trials));
        Assert.True(plan.Dependents > 0);
        Assert.Equal(plan.Dependents, warnings.Count(w => w.Contains("no valid trials to share")));
    }

    /// <summary>A stand-in that measures normally, then is interrupted after a number of trials.</summary>
    private sealed class StoppingMeasurer(int stopAfter) : IMeasurer
    {
        private readonly StandInMeasurer inner = new();

        public async Task<IReadOnlyList<MeasureResult>> MeasureAsync(
            IReadOnlyList<MeasureInput> inputs, CancellationToken cancellationToken = default, Action<int, MeasureResult>? onResult = null)
        {
            var left = stopAfter - inner.Measured.Count;
            if (left < inputs.Count)
            {
                await inner.MeasureAsync(inputs.Take(left).ToList(), cancellationToken, onResult);
                throw new OperationCanceledException("stand-in interruption");
            }
            return await inner.MeasureAsync(inputs, cancellationToken, onResult);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
