using Tessel.Measure;
using Tessel.Spaces;

namespace Tessel.Tests.Support;

/// <summary>A deterministic stand-in for real measurement, for tests of tuners and selection only: the
/// "time" of a config is a fixed function of its knob positions, and configs listed as failing fail.
/// It counts what it was asked to measure.</summary>
public sealed class StandInMeasurer(Func<ConfigEntity, double>? cost = null, Func<ConfigEntity, bool>? fails = null) : IMeasurer
{
    private readonly Func<ConfigEntity, double> cost = cost ?? DefaultCost;
    private readonly Func<ConfigEntity, bool> fails = fails ?? (_ => false);

    public List<MeasureInput> Measured { get; } = [];

    /// <summary>The size of each batch it was asked to measure, in order.</summary>
    public List<int> Batches { get; } = [];

    /// <summary>A smooth bowl over knob positions with its minimum at the middle of every knob.</summary>
    public static double DefaultCost(ConfigEntity config) =>
        1e-3 * (1 + config.Digits.Select((d, k) => Math.Pow((d - config.Space.Knobs[k].Count / 2.0) / config.Space.Knobs[k].Count, 2)).Sum());

    public Task<IReadOnlyList<MeasureResult>> MeasureAsync(
        IReadOnlyList<MeasureInput> inputs, CancellationToken cancellationToken = default, Action<int, MeasureResult>? onResult = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Measured.AddRange(inputs);
        Batches.Add(inputs.Count);
        IReadOnlyList<MeasureResult> results = inputs
            .Select(i => fails(i.Config)
                ? MeasureResult.Error(MeasureErrorNo.RuntimeDevice, "stand-in failure")
                : new MeasureResult([cost(i.Config)], MeasureErrorNo.NoError, cost(i.Config), MeasureResult.Now()))
            .ToList();
        for (var i = 0; i < results.Count; i++) onResult?.Invoke(i, results[i]);
        return Task.FromResult(results);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
