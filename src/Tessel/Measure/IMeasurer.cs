namespace Tessel.Measure;

/// <summary>Builds and runs a batch of configs. Per-config failures come back as results with an
/// error code, never as exceptions; only cancellation by the caller throws. <paramref name="onResult"/>
/// hears of each result (with its position in the batch) as soon as it exists, so that a log can keep
/// every finished trial even if the batch never completes.</summary>
public interface IMeasurer : IAsyncDisposable
{
    Task<IReadOnlyList<MeasureResult>> MeasureAsync(
        IReadOnlyList<MeasureInput> inputs, CancellationToken cancellationToken = default, Action<int, MeasureResult>? onResult = null);
}
