using Tessel.Records;
using Tessel.Tasks;
using Tessel.Templates;
using Tessel.Tests.Support;
using Tessel.Tuners;
using Tessel.Tuning;
using Tessel.Workloads;

namespace Tessel.Tests.Tuners;

/// <summary>Every registered tuner on a real cost landscape: a checked-in log of a grid search over the whole space of
/// a small dense layer, every config really built and measured (<c>tests/data/logs</c>, its host in the log's target),
/// replayed by <see cref="ReplayMeasurer"/>. Deterministic: the same seeds find the same configs on any machine.</summary>
public class ReplayedSearchTests
{
    private static readonly string LogPath = Path.Combine(AppContext.BaseDirectory, "data", "logs", "dense-1x16x8-grid.jsonl");

    private static readonly IReadOnlyList<TuningRecord> Records = RecordReader.Read(LogPath);

    /// <summary>Every tuner that searches: the grid tuner walks the space in index order by design.</summary>
    public static TheoryData<string> Tuners => new(TunerRegistry.Names.Where(n => n != "grid"));

    /// <summary>The logged task, on the log's own target (its ISA decides the space).</summary>
    private static TuningTask Task()
    {
        var first = Records[0];
        return new TuningTask(TemplateRegistry.Find(first.TaskName)!, first.Workload, new Target(first.Target));
    }

    [Fact]
    public void The_log_holds_every_config_of_the_space()
    {
        var task = Task();
        Assert.Equal(task.Space.Size, Records.Select(r => r.ConfigIndex).Distinct().Count());
        Assert.True(Records.Count(r => r.Result.IsValid) > task.Space.Size * 9 / 10);
    }

    /// <summary>With a quarter of the space's trials, each tuner spends its budget on distinct configs, reports the
    /// fastest it measured, and that is one of the space's best tenth (by the logged costs), for each of three seeds.</summary>
    [Theory]
    [MemberData(nameof(Tuners))]
    public async Task Each_tuner_finds_a_config_of_the_best_tenth_with_a_quarter_of_the_trials(string tuner)
    {
        var task = Task();
        var all = Records.Where(r => r.Result.IsValid).Select(r => r.Result.MeanCost).Order().ToList();
        var tenth = all[all.Count / 10];
        var budget = (int)(task.Space.Size / 4);
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var measurer = new ReplayMeasurer(Records);
            var log = Path.Combine(Path.GetTempPath(), $"tessel-replay-{Guid.NewGuid():N}.jsonl");
            try
            {
                var result = await TaskTuning.RunAsync(task, TunerRegistry.Create(tuner, task, seed), measurer,
                    new TuneOptions { Trials = budget, BatchSize = 8 }, new LogFile(log));
                var measured = measurer.Measured.Select(m => Records.First(r => r.ConfigIndex == m.Config.Index).Result)
                    .Where(r => r.IsValid).Min(r => r.MeanCost);
                Assert.Equal(measured, result.BestSeconds);
                // The budget is spent exactly, on distinct configs.
                Assert.Equal(budget, measurer.Measured.Count);
                Assert.Equal(budget, measurer.Measured.Select(m => m.Config.Index).Distinct().Count());
                Assert.True(result.BestSeconds <= tenth,
                    $"{tuner} seed {seed}: best {result.BestSeconds * 1e6:F2} us after {budget} trials, the best tenth starts at {tenth * 1e6:F2} us");
            }
            finally
            {
                File.Delete(log);
            }
        }
    }
}
