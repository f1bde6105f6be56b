using Tessel.Cluster.Protocol;
using Tessel.Measure;

namespace Tessel.Cluster;

/// <summary>A stand-in runner for orchestration benchmarks and tests: each item "takes" a fixed time and gets a
/// made-up cost. Named as such wherever its figures appear; it measures no kernel.</summary>
public sealed class StandInWorkRunner(TimeSpan perItem) : IWorkRunner
{
    public async Task<IReadOnlyList<WorkResult>> RunAsync(IReadOnlyList<WorkItem> items, string worker, CancellationToken cancellationToken)
    {
        var results = new List<WorkResult>();
        foreach (var item in items)
        {
            await Task.Delay(perItem, cancellationToken);
            results.Add(WorkResult.From(item.Id, new MeasureResult([perItem.TotalSeconds], MeasureErrorNo.NoError, perItem.TotalSeconds, MeasureResult.Now()), worker));
        }
        return results;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
