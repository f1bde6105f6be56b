using Tessel.Measure;
using Tessel.Records;
using Tessel.Tests.Support;
using Tessel.Tuners;
using Tessel.Tuners.Model;

namespace Tessel.Tests.Tuners.Model;

public class ModelBasedTunerTests
{
    [Fact]
    public async Task The_model_tuner_never_proposes_a_config_that_was_measured()
    {
        var task = SyntheticConvCost.Task();
        var tuner = new ModelBasedTuner(task, seed: 4);
        var measurer = new StandInMeasurer(SyntheticConvCost.Seconds);
        await tuner.TuneAsync(task, measurer, new TuneOptions { Trials = 200, BatchSize = 16 });
        Assert.Equal(0, tuner.RepeatedProposals);
        Assert.Equal(200, measurer.Measured.Select(m => m.Config.Index).Distinct().Count());
        Assert.True(tuner.Fits >= 5, $"fits: {tuner.Fits}");
    }

    [Fact]
    public async Task With_the_stand_in_cost_the_model_tuner_finds_faster_configs_than_random_search()
    {
        var task = SyntheticConvCost.Task();
        async Task<double> Best(Tuner tuner)
        {
            var measurer = new StandInMeasurer(SyntheticConvCost.Seconds);
            await tuner.TuneAsync(task, measurer, new TuneOptions { Trials = 128, StartWithDefault = false });
            return measurer.Measured.Min(m => SyntheticConvCost.Seconds(m.Config));
        }
        var model = new List<double>();
        var random = new List<double>();
        foreach (var seed in new[] { 1, 2, 3 })
        {
            model.Add(await Best(new ModelBasedTuner(task, seed)));
            random.Add(await Best(new RandomTuner(task.Space, seed)));
        }
        double Median(List<double> x) => x.Order().ElementAt(1);
        Assert.True(Median(model) < Median(random), $"median best: model {Median(model) * 1e3:F3} ms, random {Median(random) * 1e3:F3} ms");
    }

    [Fact]
    public void History_of_other_workloads_trains_the_model_before_the_first_trial_and_steers_it()
    {
        var task = SyntheticConvCost.Task(128, 28);
        var random = new Random(3);
        var history = new List<TuningRecord>();
        foreach (var (channels, size) in new[] { (64, 56), (256, 14) })
        {
            var other = SyntheticConvCost.Task(channels, size);
            for (var i = 0; i < 200; i++)
            {
                var config = other.Space.Get(random.NextInt64(other.Space.Size));
                history.Add(TuningRecord.From(new MeasureInput(other, config), Result(SyntheticConvCost.Seconds(config))));
            }
        }
        // A record of the task itself is not history (it is resumed), nor is one of another template.
        history.Add(TuningRecord.From(new MeasureInput(task, task.Space.Get(0)), Result(1)));
        history.Add(TuningRecord.From(new MeasureInput(ToyTemplate.Task(), ToyTemplate.Task().Space.Get(0)), Result(1)));

        var warm = new ModelBasedTuner(task, seed: 1);
        warm.LoadHistory(history);
        Assert.Equal(400, warm.HistoryRows);
        Assert.Equal(1, warm.Fits);
        var cold = new ModelBasedTuner(task, seed: 1);
        cold.LoadHistory([]);
        Assert.Equal(0, cold.Fits);

        var warmFirst = warm.NextBatch(16).Average(SyntheticConvCost.Seconds);
        var coldFirst = cold.NextBatch(16).Average(SyntheticConvCost.Seconds);
        Assert.True(warmFirst < coldFirst, $"first batch mean: warm {warmFirst * 1e3:F3} ms, cold (random) {coldFirst * 1e3:F3} ms");
    }

    private static MeasureResult Result(double seconds) => new([seconds], MeasureErrorNo.NoError, seconds, MeasureResult.Now());
}
