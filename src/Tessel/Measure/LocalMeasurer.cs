namespace Tessel.Measure;

/// <summary>Measures on this machine: <see cref="KernelBuilder"/> compiles each batch in one compilation,
/// <see cref="WorkerRunner"/> checks and times it in an out-of-process worker. The compiler is warmed up
/// and the worker started once, together, before the first batch.</summary>
public sealed class LocalMeasurer(MeasureOptions? options = null, WorkerRunnerOptions? runnerOptions = null) : IMeasurer
{
    private readonly KernelBuilder builder = new();
    private Task? warmUp;

    public MeasureOptions Options { get; } = Validated(options ?? new MeasureOptions());

    public WorkerRunner Runner { get; } = new(runnerOptions);

    public async Task<IReadOnlyList<MeasureResult>> MeasureAsync(
        IReadOnlyList<MeasureInput> inputs, CancellationToken cancellationToken = default, Action<int, MeasureResult>? onResult = null)
    {
        try
        {
            await StartAsync(cancellationToken).ConfigureAwait(false);
            var builds = await builder.BuildAsync(inputs, Options, cancellationToken).ConfigureAwait(false);
            return await Runner.RunAsync(builds, Options, cancellationToken, onResult).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Whatever was under way, the caller's cancellation leaves no worker behind.
            try { await Runner.StopAsync().ConfigureAwait(false); }
            catch (ObjectDisposedException) { }
            throw;
        }
    }

    /// <summary>Warms the compiler and starts the worker, side by side (done by the first batch otherwise).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (warmUp is null || warmUp.IsFaulted || warmUp.IsCanceled)
            warmUp = Task.WhenAll(Task.Run(KernelBuilder.WarmUp, cancellationToken), Runner.StartAsync(cancellationToken));
        await warmUp.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => Runner.DisposeAsync();

    private static MeasureOptions Validated(MeasureOptions o)
    {
        o.Validate();
        return o;
    }
}
