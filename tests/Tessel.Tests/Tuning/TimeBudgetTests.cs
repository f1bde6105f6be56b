using System.Diagnostics;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Scheduling;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Tests.Support;
using Tessel.Tuners;
using Tessel.Tuning;

namespace Tessel.Tests.Tuning;

/// <summary><c>--time-budget</c> on a stand-in measurer (named as such: a config's "time" is <see cref="StandInMeasurer.DefaultCost"/>) and a
/// stand-in clock that each measured config moves on by 10 ms, so the figures are exact whatever the host's load: runs stop within the
/// budget plus one batch, and spend it.</summary>
public sealed class TimeBudgetTests : IDisposable
{
    private const int BatchSize = 8;
    private static readonly TimeSpan PerConfig = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Batch = PerConfig * BatchSize;

    private readonly string log = Path.Combine(Path.GetTempPath(), $"tessel-budget-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(log);

    /// <summary>A clock that stands still but when moved on.</summary>
    private sealed class StandInClock : TimeProvider
    {
        private long ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
    }

    /// <summary>The stand-in measurer, each config moving the stand-in clock on by <see cref="PerConfig"/>.</summary>
    private sealed class SlowStandIn(StandInClock clock) : IMeasurer
    {
        private readonly StandInMeasurer inner = new();

        public List<MeasureInput> Measured => inner.Measured;

        public Task<IReadOnlyList<MeasureResult>> MeasureAsync(IReadOnlyList<MeasureInput> inputs, CancellationToken cancellationToken = default,
            Action<int, MeasureResult>? onResult = null)
        {
            clock.Advance(PerConfig * inputs.Count);
            return inner.MeasureAsync(inputs, cancellationToken, onResult);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private TuningSession Session(IMeasurer measurer, Deadline deadline) =>
        TuningSession.Named(measurer, new LogFile(log), new TuneOptions { Trials = int.MaxValue, BatchSize = BatchSize, Deadline = deadline }, "random", 1);

    [Fact]
    public async Task A_scheduled_run_stops_within_its_budget_plus_one_batch_and_spends_it()
    {
        TuningTask[] tasks = [ToyTemplate.Task(48), ToyTemplate.Task(40)];
        var clock = new StandInClock();
        var measurer = new SlowStandIn(clock);
        var deadline = new Deadline(TimeSpan.FromSeconds(1), clock);
        var results = await ScheduledTuning.RunAsync(tasks, SchedulingStrategy.Gradient, TrialBudget.Total(tasks, int.MaxValue), Session(measurer, deadline));

        Assert.InRange(deadline.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) + Batch);
        // A second's worth of configs was measured (one every 10 ms), every one of them logged.
        Assert.InRange(measurer.Measured.Count, 100, 100 + BatchSize);
        Assert.Equal(measurer.Measured.Count, results.Sum(r => r.Trials));
        Assert.Equal(measurer.Measured.Count, RecordReader.Read(log).Count);
    }

    [Fact]
    public async Task A_selective_run_bounded_by_time_serves_every_dependent_then_spends_what_is_left_in_rounds()
    {
        List<TuningTask> tasks = [ToyTemplate.Task(48), ToyTemplate.Task(40), ToyTemplate.Task(24), ToyTemplate.Task(60)];
        var plan = TaskSelection.MarkDepend(tasks, threshold: 0.05);
        Assert.True(plan.Dependents > 0);
        var clock = new StandInClock();
        var measurer = new SlowStandIn(clock);
        var deadline = new Deadline(TimeSpan.FromSeconds(2), clock);
        var options = new SelectiveTuningOptions { DependMode = DependMode.Parse("top2"), Refine = 3 };
        var outcomes = await SelectiveTuning.RunAsync(tasks, plan, options, Session(measurer, deadline));

        Assert.InRange(deadline.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2) + Batch);
        var dependents = outcomes.Where(o => !o.Representative).ToList();
        // Each dependent measured its representative's shared configs and its refine trials, and the time left went to further
        // rounds: more trials than pass 1's first rounds and pass 2 together.
        Assert.All(dependents, o => Assert.True(o.Sharing!.Shared >= 1 && o.Result.Trials >= o.Sharing.Shared + 3, $"{o.Task}: {o.Result.Trials} trials"));
        Assert.True(measurer.Measured.Count > (tasks.Count - plan.Dependents) * BatchSize + dependents.Sum(o => o.Sharing!.Shared + 3), $"{measurer.Measured.Count} trials");
        Assert.Equal(measurer.Measured.Count, outcomes.Sum(o => o.Result.Measured));
        Assert.Equal(measurer.Measured.Count, RecordReader.Read(log).Count);
    }

    [Fact]
    public void A_deadline_that_reserves_time_passes_that_much_earlier_on_the_same_clock()
    {
        var deadline = new Deadline(TimeSpan.FromHours(1));
        Assert.False(deadline.Passed);
        Assert.True(deadline.Reserving(() => TimeSpan.FromHours(1)).Passed);
        Assert.False(deadline.Reserving(() => TimeSpan.FromMinutes(59)).Passed);
        Assert.InRange(deadline.Remaining, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Deadline(TimeSpan.Zero));
    }
}
