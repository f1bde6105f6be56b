using Orleans.Concurrency;
using Tessel.Cluster.Protocol;

namespace Tessel.Cluster;

/// <summary>See <see cref="IMeasureQueueGrain"/>. Reentrant: a worker's <see cref="Take"/> waits for items while other
/// calls go on; the grain's single thread still runs one call's code at a time, so its state needs no locks.</summary>
[Reentrant]
public sealed class MeasureQueueGrain : Grain, IMeasureQueueGrain
{
    /// <summary>A worker not heard from for this long is taken for dead: its items go back to the queue.</summary>
    public static readonly TimeSpan WorkerTimeout = TimeSpan.FromSeconds(6);

    private static readonly TimeSpan TakeWait = TimeSpan.FromSeconds(2);

    private readonly LinkedList<WorkItem> pending = new();
    private readonly Dictionary<string, (WorkItem Item, string Worker)> leased = new(StringComparer.Ordinal);
    /// <summary>Every item submitted and not yet collected: null until it is measured.</summary>
    private readonly Dictionary<string, WorkResult?> known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTime> lastSeen = new(StringComparer.Ordinal);
    private TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Submit(WorkItem[] items)
    {
        foreach (var item in items.Where(i => known.TryAdd(i.Id, null))) pending.AddLast(item);
        arrived.TrySetResult();
        return Task.CompletedTask;
    }

    public Task<Collected> Collect(string[] ids)
    {
        // Polls come often: this is also where the dead are found when no worker calls.
        Reap();
        var done = new List<WorkResult>();
        var unknown = new List<string>();
        foreach (var id in ids)
        {
            if (!known.TryGetValue(id, out var result)) unknown.Add(id);
            else if (result is not null)
            {
                known.Remove(id);
                done.Add(result);
            }
        }
        return Task.FromResult(new Collected([.. done], [.. unknown]));
    }

    public async Task<WorkItem[]> Take(string worker, int max)
    {
        Seen(worker);
        if (pending.Count == 0)
        {
            if (arrived.Task.IsCompleted) arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await Task.WhenAny(arrived.Task, Task.Delay(TakeWait));
        }
        var taken = new List<WorkItem>();
        while (taken.Count < max && pending.First is { } first)
        {
            pending.RemoveFirst();
            if (!known.TryGetValue(first.Value.Id, out var result) || result is not null) continue; // answered while it waited to be re-sent
            leased[first.Value.Id] = (first.Value, worker);
            taken.Add(first.Value);
        }
        return [.. taken];
    }

    public Task Heartbeat(string worker)
    {
        Seen(worker);
        return Task.CompletedTask;
    }

    public Task Complete(string worker, WorkResult[] results)
    {
        Seen(worker);
        foreach (var result in results)
        {
            leased.Remove(result.Id);
            // The first result wins: a worker taken for dead that answers late is not counted twice.
            if (known.TryGetValue(result.Id, out var earlier) && earlier is null) known[result.Id] = result;
        }
        return Task.CompletedTask;
    }

    public Task<int> Workers()
    {
        Reap();
        return Task.FromResult(lastSeen.Count);
    }

    private void Seen(string worker)
    {
        lastSeen[worker] = DateTime.UtcNow;
        Reap();
    }

    /// <summary>Puts the items of workers not heard from within <see cref="WorkerTimeout"/> back at the front of the queue.</summary>
    private void Reap()
    {
        var now = DateTime.UtcNow;
        var dead = lastSeen.Where(w => now - w.Value > WorkerTimeout).Select(w => w.Key).ToHashSet(StringComparer.Ordinal);
        if (dead.Count == 0) return;
        foreach (var worker in dead) lastSeen.Remove(worker);
        foreach (var (id, lease) in leased.Where(l => dead.Contains(l.Value.Worker)).ToList())
        {
            leased.Remove(id);
            pending.AddFirst(lease.Item);
        }
        arrived.TrySetResult();
    }
}
