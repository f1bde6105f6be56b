using Tessel.Measure;

namespace Tessel.Tests.Support;

/// <summary>One real measurer (real compiler, real worker process) shared by the measure tests.</summary>
public sealed class MeasurerFixture : IAsyncLifetime
{
    public static readonly MeasureOptions Options = new()
    {
        Repeat = 3,
        MinRepeatMs = 2,
        RunTimeout = TimeSpan.FromSeconds(2),
        Threads = 1,
    };

    public LocalMeasurer Measurer { get; } = new(Options);

    public Task InitializeAsync() => Measurer.StartAsync();

    public Task DisposeAsync() => Measurer.DisposeAsync().AsTask();
}
