using Tessel.Measure;
using Tessel.Records;

namespace Tessel.Tests.Support;

/// <summary>Answers each config with what a real tuning log measured for it (Kernel Tuner's simulation runner):
/// tuner tests then search a real cost landscape, deterministically and without building anything. A config the
/// log does not hold is a failed trial saying so, never an invented cost.</summary>
public sealed class ReplayMeasurer : IMeasurer
{
    private readonly Dictionary<(string Workload, long Config), MeasureResult> logged = [];

    public ReplayMeasurer(IEnumerable<TuningRecord> records)
    {
        foreach (var record in records) logged.TryAdd((record.WorkloadKey, record.ConfigIndex), record.Result);
    }

    public List<MeasureInput> Measured { get; } = [];

    public Task<IReadOnlyList<MeasureResult>> MeasureAsync(
        IReadOnlyList<MeasureInput> inputs, CancellationToken cancellationToken = default, Action<int, MeasureResult>? onResult = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Measured.AddRange(inputs);
        IReadOnlyList<MeasureResult> results = inputs
            .Select(i => logged.TryGetValue((TuningRecord.KeyOf(i.Task.Target.Text, i.Task.Workload), i.Config.Index), out var r)
                ? r
                : MeasureResult.Error(MeasureErrorNo.RuntimeDevice, $"config {i.Config.Index} is not in the replayed log"))
            .ToList();
        for (var i = 0; i < results.Count; i++) onResult?.Invoke(i, results[i]);
        return Task.FromResult(results);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
