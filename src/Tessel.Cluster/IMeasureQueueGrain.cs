using Tessel.Cluster.Protocol;

namespace Tessel.Cluster;

/// <summary>The work queue of one target (its key is the target text). Tuners submit items and poll for their
/// results; workers of that target take items, say they are alive, and hand results back. An item whose worker
/// stops saying so is given to another; the first result of an item is the one kept. The queue lives in memory:
/// a poll names the items it no longer knows, and the tuner submits them again.</summary>
public interface IMeasureQueueGrain : IGrainWithStringKey
{
    /// <summary>Queues the items not already queued, taken or measured.</summary>
    Task Submit(WorkItem[] items);

    /// <summary>Hands over (once) the results of these ids that are measured, and names the ids it does not know.</summary>
    Task<Collected> Collect(string[] ids);

    /// <summary>Up to <paramref name="max"/> items for <paramref name="worker"/>, waiting a few seconds when there are none.</summary>
    Task<WorkItem[]> Take(string worker, int max);

    Task Heartbeat(string worker);

    Task Complete(string worker, WorkResult[] results);

    /// <summary>Workers seen alive lately: what a tuner waits for before it sends work.</summary>
    Task<int> Workers();
}
