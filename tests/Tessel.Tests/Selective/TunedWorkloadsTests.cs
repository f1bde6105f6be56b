using Tessel.Tuning;
using Tessel.Records;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Tests.Support;
using Tessel.Tuners;
using Tessel.Workloads;

namespace Tessel.Tests.Selective;

/// <summary>Reuse across models: tasks already tuned are found, and a task with no record depends on the most
/// similar tuned workload (as a second model takes the first's schedules).</summary>
public sealed class TunedWorkloadsTests : IDisposable
{
    private readonly string log = Path.Combine(Path.GetTempPath(), $"tessel-tuned-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(log);

    private async Task<IReadOnlyList<TuningRecord>> TuneFirstModel(params int[] sizes)
    {
        foreach (var n in sizes)
        {
            var task = ToyTemplate.Task(n);
            await TaskTuning.RunAsync(task, new RandomTuner(task.Space, 1), new StandInMeasurer(), new TuneOptions { Trials = 12, BatchSize = 4 }, new LogFile(log));
        }
        return RecordReader.Read(log);
    }

    [Fact]
    public async Task An_untuned_task_depends_on_the_most_similar_tuned_workload_and_a_tuned_one_is_left_alone()
    {
        var tuned = new TunedWorkloads(await TuneFirstModel(48, 24));
        List<TuningTask> second = [ToyTemplate.Task(48), ToyTemplate.Task(40), ToyTemplate.Task(20)];

        Assert.Equal(12, tuned.ValidTrials(second[0]));
        Assert.Equal(0, tuned.ValidTrials(second[1]));
        var marked = tuned.MarkDependOnTuned(second, minTrials: 1, threshold: 0.0);

        Assert.Equal([second[1], second[2]], marked.Select(m => m.Task));
        foreach (var (task, representative, similarity) in marked)
        {
            var expected = new[] { 48, 24 }.Select(n => ToyTemplate.Task(n)).MaxBy(c => SimilarityRate.Compute(task, c))!;
            Assert.Equal(expected.Workload, representative.Workload);
            Assert.Equal(SimilarityRate.Compute(task, expected), similarity);
        }
    }

    [Fact]
    public async Task Nothing_is_shared_below_the_threshold_or_from_a_workload_with_too_few_valid_trials()
    {
        var tuned = new TunedWorkloads(await TuneFirstModel(48));
        var task = ToyTemplate.Task(40);
        Assert.Empty(tuned.MarkDependOnTuned([task], minTrials: 13, threshold: 0.0));
        Assert.Empty(tuned.MarkDependOnTuned([task], minTrials: 1, threshold: 1.0));
    }

    [Fact]
    public async Task A_second_model_measures_only_the_shared_configs_of_its_untuned_tasks()
    {
        var tuned = new TunedWorkloads(await TuneFirstModel(48, 24));
        List<TuningTask> second = [ToyTemplate.Task(40), ToyTemplate.Task(20)];
        var plan = DependencePlan.Of(tuned.MarkDependOnTuned(second, minTrials: 1, threshold: 0.0).Select(m => (m.Task, m.Representative)));

        var measurer = new StandInMeasurer();
        var outcomes = await SelectiveTuning.RunAsync(second, plan, new SelectiveTuningOptions { DependMode = DependMode.Parse("top3") },
            TuningSession.Named(measurer, new LogFile(log), new TuneOptions { Trials = 12, BatchSize = 4 }, "random", 1));

        Assert.All(outcomes, o => Assert.False(o.Representative));
        Assert.Equal(outcomes.Sum(o => o.Sharing!.Shared), measurer.Measured.Count);
        Assert.InRange(measurer.Measured.Count, 2, 6);
        Assert.All(second, t => Assert.NotNull(new HistoryBest(RecordReader.Read(log)).Find(t.Target, t.Workload)?.Best));
    }

    [Fact]
    public async Task A_skipped_task_reports_the_best_it_already_has()
    {
        var records = await TuneFirstModel(48);
        var task = ToyTemplate.Task(48);
        var recorded = new TunedWorkloads(records).Recorded(task);
        Assert.Equal(12, recorded.Trials);
        Assert.Equal(0, recorded.Measured);
        Assert.Equal(new HistoryBest(records).Find(task.Target, task.Workload)!.MeanSeconds, recorded.BestSeconds);
    }
}
