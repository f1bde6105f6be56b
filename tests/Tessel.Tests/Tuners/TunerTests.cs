using Tessel.Tuning;
using Tessel.Records;
using Tessel.Tests.Support;
using Tessel.Tuners;
using Tessel.Tuners.Callbacks;

namespace Tessel.Tests.Tuners;

public class TunerTests
{
    public static TheoryData<string> Names => new(TunerRegistry.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Every_tuner_spends_the_budget_and_never_repeats_a_config(string name)
    {
        var task = ToyTemplate.Task();
        var measurer = new StandInMeasurer();
        var tuner = TunerRegistry.Create(name, task, seed: 7);
        var result = await tuner.TuneAsync(task, measurer, new TuneOptions { Trials = 300, BatchSize = 16 });
        Assert.Equal(300, result.Trials);
        Assert.Equal(300, measurer.Measured.Count);
        Assert.Equal(300, measurer.Measured.Select(m => m.Config.Index).Distinct().Count());
        Assert.Equal(0, tuner.RepeatedProposals);
        Assert.Equal(measurer.Measured.Min(m => StandInMeasurer.DefaultCost(m.Config)), result.BestSeconds);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task The_first_round_measures_the_default_config_once(string name)
    {
        var task = ToyTemplate.Task();
        var fallback = task.Template.DefaultConfig(task.Space, task.Workload);
        var measurer = new StandInMeasurer();
        await TunerRegistry.Create(name, task, seed: 3).TuneAsync(task, measurer, new TuneOptions { Trials = 40, BatchSize = 8 });
        Assert.Equal(fallback.Index, measurer.Measured[0].Config.Index);
        Assert.Single(measurer.Measured, m => m.Config.Index == fallback.Index);
        Assert.Equal(40, measurer.Measured.Count);
    }

    [Fact]
    public async Task A_space_smaller_than_the_budget_is_measured_once_and_the_tuner_stops()
    {
        var task = ToyTemplate.Task(4);
        var measurer = new StandInMeasurer();
        var result = await new RandomTuner(task.Space, 1).TuneAsync(task, measurer, new TuneOptions { Trials = 1000 });
        Assert.Equal(task.Space.Size, result.Measured);
    }

    [Fact]
    public async Task Grid_goes_in_index_order()
    {
        var task = ToyTemplate.Task();
        var measurer = new StandInMeasurer();
        await new GridTuner(task.Space).TuneAsync(task, measurer, new TuneOptions { Trials = 40, BatchSize = 7 });
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), measurer.Measured.Select(m => m.Config.Index));
    }

    [Fact]
    public void Same_seed_same_random_search()
    {
        var task = ToyTemplate.Task();
        var a = new RandomTuner(task.Space, 42).NextBatch(20).Select(c => c.Index);
        var b = new RandomTuner(task.Space, 42).NextBatch(20).Select(c => c.Index);
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task Genetic_search_beats_random_on_a_smooth_cost()
    {
        // Median over seeds of the best cost after 200 trials: GA should find a config closer to the optimum.
        var ga = new List<double>();
        var random = new List<double>();
        for (var seed = 0; seed < 5; seed++)
        {
            var task = ToyTemplate.Task(64);
            ga.Add((await new GeneticTuner(task.Space, seed).TuneAsync(task, new StandInMeasurer(), new TuneOptions { Trials = 200 })).BestSeconds);
            random.Add((await new RandomTuner(task.Space, seed).TuneAsync(task, new StandInMeasurer(), new TuneOptions { Trials = 200 })).BestSeconds);
        }
        Assert.True(ga.Order().ElementAt(2) <= random.Order().ElementAt(2), $"GA {string.Join(",", ga)} vs random {string.Join(",", random)}");
    }

    [Fact]
    public async Task Early_stopping_stops_after_patience_trials_without_improvement()
    {
        var task = ToyTemplate.Task();
        var constant = new StandInMeasurer(cost: _ => 1e-3);
        var result = await new RandomTuner(task.Space, 3).TuneAsync(task, constant, new TuneOptions { Trials = 500, BatchSize = 10, EarlyStopping = 30 });
        Assert.True(result.StoppedEarly);
        Assert.InRange(result.Trials, 30, 40);
    }

    [Fact]
    public async Task Failed_trials_are_counted_and_never_best()
    {
        var task = ToyTemplate.Task();
        var measurer = new StandInMeasurer(fails: c => c.Index % 2 == 0);
        var result = await new RandomTuner(task.Space, 5).TuneAsync(task, measurer, new TuneOptions { Trials = 100 });
        Assert.Equal(measurer.Measured.Count(m => m.Config.Index % 2 == 0), result.Errors);
        Assert.True(result.BestConfig!.Index % 2 == 1);
    }

    [Fact]
    public async Task Resume_skips_logged_configs_and_counts_them_toward_the_budget()
    {
        var log = Path.Combine(Path.GetTempPath(), $"tessel-resume-{Guid.NewGuid():N}.jsonl");
        try
        {
            var task = ToyTemplate.Task();
            var first = new StandInMeasurer();
            using (var writer = new RecordWriter(log))
                await new GeneticTuner(task.Space, 1).TuneAsync(task, first, new TuneOptions { Trials = 40 }, [new AppendEachTrial(writer)]);

            var (trials, unmatched) = TaskTrials.From(RecordReader.Read(log), task);
            Assert.Equal(40, trials.Count);
            Assert.Equal(0, unmatched);

            var second = new StandInMeasurer();
            var result = await new GeneticTuner(task.Space, 2).TuneAsync(task, second, new TuneOptions { Trials = 60, Resume = trials });
            Assert.Equal(20, second.Measured.Count);
            Assert.Equal(60, result.Trials);
            Assert.Empty(second.Measured.Select(m => m.Config.Index).Intersect(first.Measured.Select(m => m.Config.Index)));
        }
        finally { File.Delete(log); }
    }
}
