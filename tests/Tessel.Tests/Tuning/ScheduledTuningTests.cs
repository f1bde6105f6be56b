using Tessel.Tuning;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Scheduling;
using Tessel.Tasks;
using Tessel.Tests.Support;
using Tessel.Tuners;
using Tessel.Workloads;

namespace Tessel.Tests.Tuning;

public class ScheduledTuningTests
{
    [Fact]
    public async Task A_scheduled_run_spends_the_total_budget_into_the_log_and_a_rerun_continues_it()
    {
        // Stand-in measurer: configs' "times" come from StandInMeasurer.DefaultCost; nothing is built.
        var dir = Directory.CreateTempSubdirectory("tessel-sched-");
        var log = Path.Combine(dir.FullName, "log.jsonl");
        TuningSession Session(IMeasurer measurer, int tunerSeed) =>
            new(measurer, new LogFile(log), new TuneOptions { Trials = 8, BatchSize = 8 }, t => new RandomTuner(t.Space, tunerSeed)) { Seed = 1 };
        TuningTask[] tasks = [new(ToyTemplate.Instance, ToyTemplate.Workload(48), Target.Host, count: 3), new(ToyTemplate.Instance, ToyTemplate.Workload(40), Target.Host)];
        var measurer = new StandInMeasurer();
        var rounds = new List<ScheduledRound>();
        var results = await ScheduledTuning.RunAsync(tasks, SchedulingStrategy.Gradient, 80, Session(measurer, 1) with { OnRound = rounds.Add });
        Assert.Equal(80, measurer.Measured.Count);
        Assert.Equal(80, RecordReader.Read(log).Count);
        Assert.Equal(80, results.Sum(r => r.Trials));
        Assert.Equal(10, rounds.Count);
        Assert.All(results, r => Assert.True(r.Trials >= 8));

        // A larger total resumes the 80 logged trials (counted, not measured again) and measures 40 more.
        var again = new StandInMeasurer();
        results = await ScheduledTuning.RunAsync(tasks, SchedulingStrategy.RoundRobin, 120, Session(again, 2));
        Assert.Equal(40, again.Measured.Count);
        Assert.Equal(120, RecordReader.Read(log).Count);
        Assert.Equal(120, results.Sum(r => r.Trials));
        Assert.Equal(120, RecordReader.Read(log).Select(r => (r.Workload.Key, r.ConfigIndex)).Distinct().Count());

        // The same total again: the log holds the whole budget, so nothing more is measured.
        var finished = new StandInMeasurer();
        results = await ScheduledTuning.RunAsync(tasks, SchedulingStrategy.Gradient, 120, Session(finished, 3));
        Assert.Empty(finished.Measured);
        // Each task still reports its logged trials and their best.
        Assert.Equal(120, results.Sum(r => r.Trials));
        Assert.All(results, r => Assert.NotNull(r.BestConfig));
        Assert.Equal(120, RecordReader.Read(log).Count);
        dir.Delete(recursive: true);
    }
}
