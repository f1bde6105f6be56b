using Tessel.Tuning;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Tests.Support;
using Tessel.Tuners;

namespace Tessel.Tests.Tuners;

public class PerTrialLogTests
{
    /// <summary>A stand-in measurer that finishes a few trials of its first batch and is then interrupted,
    /// the way a user's Ctrl+C or a kill lands in the middle of a batch.</summary>
    private sealed class InterruptedMeasurer(int finishBeforeInterrupt) : IMeasurer
    {
        public Task<IReadOnlyList<MeasureResult>> MeasureAsync(
            IReadOnlyList<MeasureInput> inputs, CancellationToken cancellationToken = default, Action<int, MeasureResult>? onResult = null)
        {
            for (var i = 0; i < finishBeforeInterrupt; i++)
                onResult?.Invoke(i, new MeasureResult([1e-3 * (i + 1)], MeasureErrorNo.NoError, 0.01, MeasureResult.Now()));
            throw new OperationCanceledException("interrupted mid-batch");
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Trials_finished_before_an_interruption_are_already_in_the_log()
    {
        var log = Path.Combine(Path.GetTempPath(), $"tessel-interrupt-{Guid.NewGuid():N}.jsonl");
        try
        {
            var task = ToyTemplate.Task();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TaskTuning.RunAsync(
                task, new RandomTuner(task.Space, 1), new InterruptedMeasurer(5), new TuneOptions { Trials = 50, BatchSize = 16 }, new LogFile(log)));
            var records = RecordReader.Read(log);
            Assert.Equal(5, records.Count);
            Assert.All(records, r => Assert.True(r.Result.IsValid));
        }
        finally { File.Delete(log); }
    }
}
