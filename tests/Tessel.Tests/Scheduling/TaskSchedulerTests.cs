using Tessel.Records;
using Tessel.Scheduling;
using TaskScheduler = Tessel.Scheduling.TaskScheduler;
using Tessel.Tasks;
using Tessel.Tests.Support;
using Tessel.Tuners;

namespace Tessel.Tests.Scheduling;

public class TaskSchedulerTests
{
    [Fact]
    public async Task A_scheduled_run_spends_the_total_budget_into_the_log_and_a_rerun_continues_it()
    {
        // Stand-in measurer: configs' "times" come from StandInMeasurer.DefaultCost; nothing is built.
        var dir = Directory.CreateTempSubdirectory("tessel-sched-");
        var log = Path.Combine(dir.FullName, "log.jsonl");
        TuningTask[] tasks = [new(ToyTemplate.Instance, ToyTemplate.Workload(48), Target.Host, count: 3), new(ToyTemplate.Instance, ToyTemplate.Workload(40), Target.Host)];
        var measurer = new StandInMeasurer();
        var rounds = new List<ScheduledRound>();
        var results = await TaskScheduler.RunAsync(tasks, SchedulingStrategy.Gradient, 80, t => new RandomTuner(t.Space, 1), measurer,
            new TuneOptions { Trials = 8, BatchSize = 8 }, new LogFile(log), rounds.Add, seed: 1);
        Assert.Equal(80, measurer.Measured.Count);
        Assert.Equal(80, RecordReader.Read(log).Count);
        Assert.Equal(80, results.Sum(r => r.Trials));
        Assert.Equal(10, rounds.Count);
        Assert.All(results, r => Assert.True(r.Trials >= 8));

        // A larger total resumes the 80 logged trials (counted, not measured again) and measures 40 more.
        var again = new StandInMeasurer();
        results = await TaskScheduler.RunAsync(tasks, SchedulingStrategy.RoundRobin, 120, t => new RandomTuner(t.Space, 2), again,
            new TuneOptions { Trials = 8, BatchSize = 8 }, new LogFile(log), seed: 1);
        Assert.Equal(40, again.Measured.Count);
        Assert.Equal(120, RecordReader.Read(log).Count);
        Assert.Equal(120, results.Sum(r => r.Trials));
        Assert.Equal(120, RecordReader.Read(log).Select(r => (r.Workload.Key, r.ConfigIndex)).Distinct().Count());

        // The same total again: the log holds the whole budget, so nothing more is measured.
        var finished = new StandInMeasurer();
        results = await TaskScheduler.RunAsync(tasks, SchedulingStrategy.Gradient, 120, t => new RandomTuner(t.Space, 3), finished,
            new TuneOptions { Trials = 8, BatchSize = 8 }, new LogFile(log), seed: 1);
        Assert.Empty(finished.Measured);
        // Each task still reports its logged trials and their best.
        Assert.Equal(120, results.Sum(r => r.Trials));
        Assert.All(results, r => Assert.NotNull(r.BestConfig));
        Assert.Equal(120, RecordReader.Read(log).Count);
        dir.Delete(recursive: true);
    }
}
