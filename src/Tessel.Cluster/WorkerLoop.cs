using Microsoft.Extensions.Hosting;

namespace Tessel.Cluster;

/// <summary>A worker's life: take items of its target from the queue, run them, hand the results back, and say
/// it is alive every second meanwhile (a long batch must not look like a dead worker). Stopping cancels the batch in
/// hand: the queue gives its items to another worker once this one is silent.</summary>
public sealed class WorkerLoop(IGrainFactory grains, WorkerSettings settings) : BackgroundService
{
    /// <summary>Items taken at once: about one compiled batch.</summary>
    public const int BatchSize = 8;

    private readonly string name = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = grains.GetGrain<IMeasureQueueGrain>(settings.Target);
        await using var runner = settings.Runner();
        settings.Log?.Invoke($"worker {name} serving {settings.Target}");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A stopping worker does not wait out the queue's wait for work: the call is abandoned.
                var items = await queue.Take(name, BatchSize).WaitAsync(stoppingToken);
                if (items.Length == 0) continue;
                using var beating = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var heartbeat = Beat(queue, beating.Token);
                var results = await runner.RunAsync(items, name, stoppingToken);
                await beating.CancelAsync();
                await heartbeat;
                await queue.Complete(name, [.. results]);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The queue's silo left, or a call timed out: try again; items not completed are re-sent by the queue.
                settings.Log?.Invoke($"worker {name}: {e.GetType().Name}: {e.Message}");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private async Task Beat(IMeasureQueueGrain queue, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                await queue.Heartbeat(name);
            }
        }
        catch (OperationCanceledException) { }
    }
}
