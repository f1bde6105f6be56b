namespace Tessel.Measure;

/// <summary>Builds and runs a batch of configs. Per-config failures come back as results with an
/// error code, never as exceptions; only cancellation by the caller throws.</summary>
public interface IMeasurer : IAsyncDisposable
{
    Task<IReadOnlyList<MeasureResult>> MeasureAsync(IReadOnlyList<MeasureInput> inputs, CancellationToken cancellationToken = default);
}
