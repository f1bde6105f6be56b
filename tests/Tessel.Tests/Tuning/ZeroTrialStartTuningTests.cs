using Tessel.Measure;
using Tessel.Records;
using Tessel.Scheduling;
using Tessel.Selective;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Tests.Support;
using Tessel.Tuners;
using Tessel.Tuning;
using Tessel.Workloads;
using static Tessel.Tests.Support.LoggedRecords;

namespace Tessel.Tests.Tuning;

/// <summary>Tuning starts from the zero-trial start: a task's first batch measures its shipped configs (or the most
/// similar workload's) before the default and the strategy's own, in every flow, so tuning ends no slower than that
/// start. Timings come from <see cref="StandInMeasurer"/>, a deterministic stand-in: nothing is built.</summary>
public sealed class ZeroTrialStartTuningTests : IDisposable
{
    private readonly string log = Path.Combine(Path.GetTempPath(), $"tessel-zero-trial-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(log);

    private static readonly TuningTask Toy = ToyTemplate.Task(48);

    /// <summary>Two shipped configs of the toy task (the faster listed second) that neither the default nor a random
    /// tuner's first picks would be.</summary>
    private static readonly ConfigEntity Fast = Toy.Space.Get(Toy.Space.Size - 3), Slow = Toy.Space.Get(Toy.Space.Size / 2 + 1);

    private static ZeroTrialStart Shipped(params TuningRecord[] records) => new(ShippedFiles.Catalog(Target.Host, records), () => []);

    /// <summary>The random tuner, seed 1, 8 trials per task in batches of 4, with the given start.</summary>
    private TuningSession Session(IMeasurer measurer, ZeroTrialStart? start) =>
        TuningSession.Named(measurer, new LogFile(log), new TuneOptions { Trials = 8, BatchSize = 4 }, "random", 1) with { Start = start };

    [Fact]
    public async Task A_tasks_first_batch_measures_its_shipped_configs_fastest_first_then_the_default()
    {
        var measurer = new StandInMeasurer();
        await TaskTuning.RunAsync(Toy, Session(measurer, Shipped(Logged(Toy, Slow, 2e-3), Logged(Toy, Fast, 1e-3))), "");
        Assert.Equal([4, 4], measurer.Batches);
        Assert.Equal([Fast.Index, Slow.Index, Toy.DefaultConfig.Index], measurer.Measured.Take(3).Select(m => m.Config.Index));
    }

    [Fact]
    public async Task Tuning_ends_no_slower_than_its_zero_trial_start()
    {
        // The shipped config is the space's fastest here: eight random trials would not find it, the start does.
        var measurer = new StandInMeasurer(c => c.Index == Fast.Index ? 1e-6 : StandInMeasurer.DefaultCost(c));
        var result = await TaskTuning.RunAsync(Toy, Session(measurer, Shipped(Logged(Toy, Fast, 1e-3))), "");
        Assert.Equal(Fast.Index, result.BestConfig!.Index);
        var without = await TaskTuning.RunAsync(Toy, Session(new StandInMeasurer(c => c.Index == Fast.Index ? 1e-6 : StandInMeasurer.DefaultCost(c)), null)
            with { Store = new LogFile(log + ".none") }, "");
        File.Delete(log + ".none");
        Assert.NotEqual(Fast.Index, without.BestConfig!.Index);
    }

    [Fact]
    public async Task With_nothing_shipped_for_the_task_the_most_similar_workloads_best_leads_mapped_into_its_space()
    {
        var other = ToyTemplate.Task(40);
        var config = other.Space.Get(other.Space.Size - 5);
        var mapped = ConfigMapper.Map(config, Toy.Space).Config!;
        var measurer = new StandInMeasurer();
        await TaskTuning.RunAsync(Toy, Session(measurer, Shipped(Logged(other, config, 1e-3))), "");
        Assert.Equal(mapped.Index, measurer.Measured[0].Config.Index);
    }

    [Fact]
    public async Task Scheduled_rounds_start_each_task_from_its_shipped_config()
    {
        TuningTask[] tasks = [Toy, ToyTemplate.Task(40)];
        var second = tasks[1].Space.Get(tasks[1].Space.Size - 7);
        var measurer = new StandInMeasurer();
        await ScheduledTuning.RunAsync(tasks, SchedulingStrategy.RoundRobin, 16,
            Session(measurer, Shipped(Logged(Toy, Fast, 1e-3), Logged(tasks[1], second, 1e-3))));
        Assert.Equal(Fast.Index, measurer.Measured.First(m => m.Task == Toy).Config.Index);
        Assert.Equal(second.Index, measurer.Measured.First(m => m.Task == tasks[1]).Config.Index);
    }

    [Fact]
    public async Task A_dependent_measures_its_best_shipped_config_first_and_its_shared_configs_after()
    {
        var dependent = ToyTemplate.Task(40);
        var shipped = dependent.Space.Get(dependent.Space.Size - 7);
        var plan = DependencePlan.Of([(dependent, Toy)]);
        var measurer = new StandInMeasurer();
        var outcomes = await SelectiveTuning.RunAsync([Toy, dependent], plan, new SelectiveTuningOptions { DependMode = DependMode.Parse("top3") },
            Session(measurer, Shipped(Logged(dependent, shipped, 1e-3), Logged(dependent, dependent.Space.Get(3), 2e-3))));
        var measured = measurer.Measured.Where(m => m.Task == dependent).Select(m => m.Config.Index).ToList();
        Assert.Equal(shipped.Index, measured[0]);
        // Its budget stays its shared configs' count, the start's best among them: not the slower shipped one.
        Assert.DoesNotContain(3L, measured);
        var outcome = outcomes.Single(o => o.Task == dependent);
        Assert.Equal(outcome.Sharing!.Shared, measured.Count);
        Assert.Equal(outcome.Result.Trials, measured.Count);
        Assert.Equal(measured.Count, measured.Distinct().Count());
    }
}
