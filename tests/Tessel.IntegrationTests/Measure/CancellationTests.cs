using Tessel.Tests.Support;
using System.Diagnostics;
using Tessel.Measure;

namespace Tessel.IntegrationTests.Measure;

[Collection(SerialCollection.Name)]
public sealed class CancellationTests
{
    [Fact]
    public async Task Caller_cancellation_throws_and_leaves_no_worker()
    {
        var task = FaultyTestTemplate.Task();
        var options = new MeasureOptions { Repeat = 2, MinRepeatMs = 1, RunTimeout = TimeSpan.FromSeconds(30), Threads = 1 };
        await using var measurer = new LocalMeasurer(options);
        await measurer.StartAsync();
        var pid = measurer.Runner.ProcessId;
        Assert.NotNull(pid);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => measurer.MeasureAsync(
            [new(task, FaultyTestTemplate.Config(task, "ok")), new(task, FaultyTestTemplate.Config(task, "hang"))], cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"cancellation took {clock.Elapsed}");
        Assert.Null(measurer.Runner.ProcessId);
        Assert.True(IsGone(pid.Value), $"worker {pid} still runs");
    }

    private static bool IsGone(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
