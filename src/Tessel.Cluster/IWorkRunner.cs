using Tessel.Cluster.Protocol;

namespace Tessel.Cluster;

/// <summary>What a worker does with the items it takes: measure them for real (<see cref="LocalWorkRunner"/>), or,
/// to time the orchestration alone, wait a fixed time (<see cref="StandInWorkRunner"/>).</summary>
public interface IWorkRunner : IAsyncDisposable
{
    Task<IReadOnlyList<WorkResult>> RunAsync(IReadOnlyList<WorkItem> items, string worker, CancellationToken cancellationToken);
}
