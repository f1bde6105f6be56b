using Tessel.Measure;
using Tessel.Records;
using Tessel.Scheduling;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Tests.Support;
using Tessel.Tuners;

namespace Tessel.Tests.Selective;

public sealed class SelectiveTuningTests : IDisposable
{
    private readonly string log = Path.Combine(Path.GetTempPath(), $"tessel-selective-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(log);

    private static List<TuningTask> Tasks() => [ToyTemplate.Task(48), ToyTemplate.Task(40), ToyTemplate.Task(24), ToyTemplate.Task(60)];

    private static SelectiveTuningOptions Options => new()
    {
        Tune = new TuneOptions { Trials = 30, BatchSize = 8 },
        Tuner = "random",
        Seed = 1,
        DependMode = DependMode.Parse("top5"),
    };

    [Fact]
    public async Task Representatives_get_the_full_budget_and_dependents_exactly_their_shared_configs()
    {
        var tasks = Tasks();
        var selection = TaskSelection.MarkDepend(tasks, threshold: 0.05);
        Assert.True(selection.Representatives.Count < tasks.Count);
        var measurer = new StandInMeasurer();
        var outcomes = await SelectiveTuning.RunAsync(tasks, measurer, Options, new LogFile(log));

        var sharedCounts = outcomes.Where(o => !o.Representative).Sum(o => o.Sharing!.Shared);
        Assert.Equal(selection.Representatives.Count * 30 + sharedCounts, measurer.Measured.Count);
        Assert.All(outcomes.Where(o => !o.Representative), o => Assert.InRange(o.Sharing!.Shared, 1, 5));
        Assert.Equal(measurer.Measured.Count, RecordReader.Read(log).Count);
    }

    [Fact]
    public async Task With_a_share_pool_each_dependent_measures_the_depend_modes_count_picked_from_all_its_representatives_trials()
    {
        var tasks = Tasks();
        var selection = TaskSelection.MarkDepend(tasks, threshold: 0.05);
        var measurer = new StandInMeasurer();
        var outcomes = await SelectiveTuning.RunAsync(tasks, measurer, Options with { SharePool = DependMode.Parse("100%") }, new LogFile(log));

        var dependents = outcomes.Where(o => !o.Representative).ToList();
        Assert.NotEmpty(dependents);
        Assert.All(dependents, o =>
        {
            Assert.True(o.Sharing!.Offered >= 25, o.Sharing.ToString());
            Assert.Equal(5, o.Sharing.Measured);
            Assert.True(o.Sharing.PickedByModel, o.Sharing.ToString());
            Assert.Equal(5, o.Result.Trials);
        });
        Assert.Equal(selection.Representatives.Count * 30 + dependents.Count * 5, measurer.Measured.Count);
    }

    [Fact]
    public async Task With_refine_each_dependent_measures_its_shared_configs_then_k_new_configs_of_its_own_space()
    {
        var tasks = Tasks();
        var selection = TaskSelection.MarkDepend(tasks, threshold: 0.05);
        var measurer = new StandInMeasurer();
        var outcomes = await SelectiveTuning.RunAsync(tasks, measurer, Options with { DependMode = DependMode.Parse("top2"), Refine = 3 }, new LogFile(log));

        var dependents = outcomes.Where(o => !o.Representative).ToList();
        Assert.NotEmpty(dependents);
        Assert.All(dependents, o => Assert.Equal(o.Sharing!.Shared + 3, o.Result.Trials));
        Assert.All(dependents, o => Assert.Equal(o.Sharing!.Shared + 3, o.Result.Measured));
        Assert.Equal(selection.Representatives.Count * 30 + dependents.Sum(o => o.Sharing!.Shared + 3), measurer.Measured.Count);
        // Pass 2 runs the dependents side by side: all their shared configs in one batch, then all refine trials in one.
        Assert.True(dependents.Count >= 2, $"{dependents.Count} dependents");
        Assert.Equal([dependents.Sum(o => o.Sharing!.Shared), dependents.Count * 3], measurer.Batches.TakeLast(2));
        // Refine trials continue the task's search: nothing it measured is measured again.
        var perTask = measurer.Measured.GroupBy(m => m.Task).ToList();
        Assert.All(perTask, g => Assert.Equal(g.Count(), g.Select(m => m.Config.Index).Distinct().Count()));

        // Run again on the finished log: everything resumes, nothing is refined twice.
        var again = new StandInMeasurer();
        var rerun = Tasks();
        TaskSelection.MarkDepend(rerun, threshold: 0.05);
        await SelectiveTuning.RunAsync(rerun, again, Options with { DependMode = DependMode.Parse("top2"), Refine = 3 }, new LogFile(log));
        Assert.Empty(again.Measured);
    }

    [Fact]
    public async Task With_the_gradient_scheduler_the_representatives_share_their_total_budget_in_rounds()
    {
        var tasks = Tasks();
        var selection = TaskSelection.MarkDepend(tasks, threshold: 0.05);
        var measurer = new StandInMeasurer();
        var rounds = new List<ScheduledRound>();
        var outcomes = await SelectiveTuning.RunAsync(tasks, measurer, Options with { Strategy = SchedulingStrategy.Gradient }, new LogFile(log), onRound: rounds.Add);

        var representatives = outcomes.Where(o => o.Representative).ToList();
        Assert.Equal(selection.Representatives.Count * 30, representatives.Sum(o => o.Result.Trials));
        Assert.All(representatives, o => Assert.True(o.Result.Trials >= 8, $"{o.Task}: {o.Result.Trials} trials"));
        Assert.All(rounds, r => Assert.Same(r.Task, r.Task.Depend));
        Assert.NotEmpty(rounds);
        var sharedCounts = outcomes.Where(o => !o.Representative).Sum(o => o.Sharing!.Shared);
        Assert.Equal(selection.Representatives.Count * 30 + sharedCounts, measurer.Measured.Count);
    }

    [Fact]
    public async Task An_interrupted_run_continues_where_it_stopped_without_measuring_anything_twice()
    {
        var uninterrupted = new StandInMeasurer();
        var reference = Tasks();
        TaskSelection.MarkDepend(reference, threshold: 0.05);
        await SelectiveTuning.RunAsync(reference, uninterrupted, Options, new LogFile(log + ".ref"));
        File.Delete(log + ".ref");

        var tasks = Tasks();
        TaskSelection.MarkDepend(tasks, threshold: 0.05);
        var interrupted = new StoppingMeasurer(stopAfter: 40);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SelectiveTuning.RunAsync(tasks, interrupted, Options, new LogFile(log)));
        var resumed = new StandInMeasurer();
        await SelectiveTuning.RunAsync(tasks, resumed, Options, new LogFile(log));

        var logged = RecordReader.Read(log);
        Assert.Equal(uninterrupted.Measured.Count, logged.Count);
        Assert.Equal(logged.Count, logged.Select(r => r.WorkloadKey + r.ConfigIndex).Distinct().Count());
    }

    [Fact]
    public async Task A_dependent_whose_representative_has_no_valid_trial_is_tuned_in_full_with_a_warning()
    {
        var tasks = Tasks();
        TaskSelection.MarkDepend(tasks, threshold: 0.05);
        var warnings = new List<string>();
        var allFail = new StandInMeasurer(fails: c => true);
        var outcomes = await SelectiveTuning.RunAsync(tasks, allFail, Options, new LogFile(log), warn: warnings.Add);
        Assert.All(outcomes, o => Assert.Equal(30, o.Result.Trials));
        Assert.Equal(tasks.Count(t => t.Depend != t), warnings.Count(w => w.Contains("no valid trials to share")));
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
