using Tessel.Tests.Support;
using System.Diagnostics;
using Tessel.Measure;

namespace Tessel.IntegrationTests.Measure;

/// <summary>Faults that end in the worker process rather than in the kernel's result: killed from outside
/// mid-trial, or a kernel that allocates until the worker's memory limit. Each is an error record; the next
/// trial measures.</summary>
[Collection(SerialCollection.Name)]
public sealed class WorkerFaultTests : IAsyncLifetime
{
    private static readonly Tessel.Tasks.TuningTask Task = FaultyTestTemplate.Task();

    private readonly LocalMeasurer measurer = new(MeasurerFixture.Options with { RunTimeout = TimeSpan.FromSeconds(20) },
        new WorkerRunnerOptions { MemoryLimitBytes = 1L << 30 });

    public Task InitializeAsync() => measurer.StartAsync();

    public Task DisposeAsync() => measurer.DisposeAsync().AsTask();

    private static MeasureInput Input(string behaviour, int salt = 0) => new(Task, FaultyTestTemplate.Config(Task, behaviour, salt));

    [Fact]
    public async Task A_worker_killed_mid_trial_is_a_runtime_error_and_the_next_trial_measures()
    {
        var starts = measurer.Runner.Starts;
        var pid = measurer.Runner.ProcessId;
        Assert.NotNull(pid);
        // The hanging kernel keeps the trial in flight well inside its 20 s limit; the kill comes from outside.
        var measuring = measurer.MeasureAsync([Input("hang", 1), Input("ok", 6)]);
        await System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(2));
        Process.GetProcessById(pid.Value).Kill();
        var clock = Stopwatch.StartNew();
        var results = await measuring;

        Assert.Equal(MeasureErrorNo.RuntimeDevice, results[0].ErrorNo);
        Assert.Contains("died", results[0].ErrorMessage);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the death was noticed after {clock.Elapsed.TotalSeconds:F1} s, not at once");
        Assert.True(results[1].IsValid, $"{results[1].ErrorNo}: {results[1].ErrorMessage}");
        Assert.Equal(starts + 1, measurer.Runner.Starts);
    }

    [Fact]
    public async Task A_kernel_that_allocates_without_end_is_stopped_by_the_memory_limit_and_the_next_trial_measures()
    {
        var results = await measurer.MeasureAsync([Input("oom"), Input("ok", 7)]);
        Assert.Equal(MeasureErrorNo.RuntimeDevice, results[0].ErrorNo);
        Assert.Contains("OutOfMemory", results[0].ErrorMessage);
        Assert.True(results[1].IsValid, $"{results[1].ErrorNo}: {results[1].ErrorMessage}");
    }
}
