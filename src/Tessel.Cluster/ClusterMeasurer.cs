using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tessel.Cluster.Protocol;
using Tessel.Measure;

namespace Tessel.Cluster;

/// <summary>Measures on the cluster: a batch goes to the target's queue as items, every worker of the target
/// takes a share, and the results come back in the batch's order. The tuner writes each result once, so an
/// item re-sent after a worker died is still one record.</summary>
public sealed class ClusterMeasurer(IHost host, MeasureOptions options) : IMeasurer
{
    private readonly IClusterClient client = host.Services.GetRequiredService<IClusterClient>();
    private readonly string prefix = Guid.NewGuid().ToString("N");
    private long next;

    public MeasureOptions Options { get; } = options;

    /// <summary>Items measured per worker: how the work was spread.</summary>
    public ConcurrentDictionary<string, int> MeasuredBy { get; } = new(StringComparer.Ordinal);

    /// <summary>Joins the cluster as a client and waits (up to <paramref name="within"/> in all) for a worker of the host's target.</summary>
    public static async Task<ClusterMeasurer> ConnectAsync(ClusterAddress address, MeasureOptions options, TimeSpan within, CancellationToken cancellationToken = default)
    {
        var host = ClusterHosts.Tuner(address);
        var measurer = new ClusterMeasurer(host, options);
        try
        {
            // Orleans's client tries a gateway that is not there for minutes (no worker of this cluster is up): bounded here.
            var clock = Stopwatch.StartNew();
            try { await host.StartAsync(cancellationToken).WaitAsync(within, cancellationToken); }
            catch (TimeoutException)
            {
                throw new TimeoutException($"no worker of cluster '{address}' took the connection within {within.TotalSeconds:F0} s (start one with 'tessel worker --cluster {address}')");
            }
            var left = within - clock.Elapsed;
            await measurer.WaitForWorkersAsync(Workloads.Target.Host.Text, left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken);
            return measurer;
        }
        catch
        {
            await measurer.DisposeAsync();
            throw;
        }
    }

    public async Task<IReadOnlyList<MeasureResult>> MeasureAsync(
        IReadOnlyList<MeasureInput> inputs, CancellationToken cancellationToken = default, Action<int, MeasureResult>? onResult = null)
    {
        if (inputs.Count == 0) return [];
        var settings = MeasureSettings.From(Options);
        var inOrder = new MeasureResult[inputs.Count];
        foreach (var byTarget in inputs.Select((input, i) => (input, i)).GroupBy(x => x.input.Task.Target.Text))
        {
            var group = byTarget.ToList();
            var items = group.Select(x => new WorkItem($"{prefix}:{Interlocked.Increment(ref next)}", byTarget.Key, x.input.Task.Name,
                x.input.Task.Workload.Args.ToJsonString(), x.input.Config.EntityJson().ToJsonString(), settings)).ToArray();
            var answers = await CollectAsync(client.GetGrain<IMeasureQueueGrain>(byTarget.Key), items, cancellationToken);
            for (var k = 0; k < group.Count; k++)
            {
                inOrder[group[k].i] = answers[items[k].Id].ToResult();
                MeasuredBy.AddOrUpdate(answers[items[k].Id].Worker, 1, (_, n) => n + 1);
            }
        }
        for (var i = 0; i < inOrder.Length; i++) onResult?.Invoke(i, inOrder[i]);
        return inOrder;
    }

    /// <summary>Submits the items and polls until each has its result; items the queue no longer knows are submitted again.</summary>
    private static async Task<Dictionary<string, WorkResult>> CollectAsync(IMeasureQueueGrain queue, WorkItem[] items, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, WorkResult>(StringComparer.Ordinal);
        var byId = items.ToDictionary(i => i.Id, StringComparer.Ordinal);
        await queue.Submit(items);
        while (results.Count < items.Length)
        {
            await Task.Delay(PollInterval, cancellationToken);
            var collected = await queue.Collect([.. byId.Keys.Where(id => !results.ContainsKey(id))]);
            foreach (var result in collected.Done) results.TryAdd(result.Id, result);
            if (collected.Unknown.Length > 0) await queue.Submit([.. collected.Unknown.Select(id => byId[id])]);
        }
        return results;
    }

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until <paramref name="count"/> workers of <paramref name="target"/> are alive (they announce themselves by asking for work).</summary>
    public async Task WaitForWorkersAsync(string target, TimeSpan within, CancellationToken cancellationToken = default, int count = 1)
    {
        var queue = client.GetGrain<IMeasureQueueGrain>(target);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(within);
        try
        {
            // A call the cluster does not answer is abandoned at the deadline, not left to Orleans's 30 s response timeout.
            while (await queue.Workers().WaitAsync(deadline.Token) < count) await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"fewer than {count} workers of '{target}' joined the cluster within {within.TotalSeconds:F0} s (start one with 'tessel " +
                $"worker --cluster ...')");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await host.StopAsync(TimeSpan.FromSeconds(5)); }
        finally { host.Dispose(); }
    }
}
