namespace Tessel.Measure;

/// <summary>Lets several tuning loops, run side by side, measure as one: a loop's batch waits until every
/// loop still running has asked, then all of them go to the inner measurer in one call — one compilation
/// for the lot. Dependent tasks of selective tuning measure 1-5 configs each, and a compilation of one
/// kernel costs most of what a batch of sixteen does; gathered, their build time is paid once.
/// Each loop has at most one batch in flight, and must <see cref="Leave"/> when it is done (in a
/// <c>finally</c>), or the others wait for it.</summary>
public sealed class CoalescingMeasurer : IMeasurer
{
    private readonly IMeasurer inner;
    private readonly object gate = new();
    private readonly List<Request> waiting = [];
    private int active;

    /// <param name="inner">Measures the gathered batches; not owned (disposing this leaves it running).</param>
    /// <param name="participants">The loops that will measure through this; each leaves once.</param>
    public CoalescingMeasurer(IMeasurer inner, int participants)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(participants);
        this.inner = inner;
        active = participants;
    }

    /// <summary>Batches measured so far: one per gathering.</summary>
    public int Flushes { get; private set; }

    public Task<IReadOnlyList<MeasureResult>> MeasureAsync(
        IReadOnlyList<MeasureInput> inputs, CancellationToken cancellationToken = default, Action<int, MeasureResult>? onResult = null)
    {
        var request = new Request(inputs, onResult, cancellationToken);
        // A cancelled loop stops waiting; its request is withdrawn if not yet sent.
        request.Cancellation = cancellationToken.Register(() =>
        {
            lock (gate) waiting.Remove(request);
            request.Done.TrySetCanceled(cancellationToken);
        });
        List<Request>? ready;
        lock (gate)
        {
            if (request.Done.Task.IsCompleted) return request.Done.Task;
            if (waiting.Count >= active)
            {
                request.Cancellation.Dispose();
                throw new InvalidOperationException($"{active} loops measure through this, and all of them are waiting already");
            }
            waiting.Add(request);
            ready = TakeIfAllWaiting();
        }
        if (ready is not null) _ = FlushAsync(ready);
        return request.Done.Task;
    }

    /// <summary>One loop is done: the others no longer wait for its batches.</summary>
    public void Leave()
    {
        List<Request>? ready;
        lock (gate)
        {
            if (active == 0) throw new InvalidOperationException("every loop has left already");
            active--;
            ready = TakeIfAllWaiting();
        }
        if (ready is not null) _ = FlushAsync(ready);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private List<Request>? TakeIfAllWaiting()
    {
        if (waiting.Count == 0 || waiting.Count < active) return null;
        var ready = waiting.ToList();
        waiting.Clear();
        Flushes++;
        return ready;
    }

    private async Task FlushAsync(List<Request> requests)
    {
        var all = requests.SelectMany(r => r.Inputs).ToList();
        var owner = new (Request Request, int Position)[all.Count];
        var next = 0;
        foreach (var request in requests)
            for (var i = 0; i < request.Inputs.Count; i++) owner[next++] = (request, i);
        // Every loop of a run shares one token; the first request's speaks for the batch.
        var token = requests[0].CancellationToken;
        try
        {
            var results = await inner.MeasureAsync(all, token, (i, result) =>
            {
                var (request, position) = owner[i];
                if (!request.Done.Task.IsCompleted) request.OnResult?.Invoke(position, result);
            }).ConfigureAwait(false);
            var offset = 0;
            foreach (var request in requests)
            {
                request.Done.TrySetResult(results.Skip(offset).Take(request.Inputs.Count).ToList());
                offset += request.Inputs.Count;
            }
        }
        catch (OperationCanceledException e)
        {
            foreach (var request in requests) request.Done.TrySetCanceled(e.CancellationToken);
        }
        catch (Exception e)
        {
            foreach (var request in requests) request.Done.TrySetException(e);
        }
        finally
        {
            foreach (var request in requests) request.Cancellation.Dispose();
        }
    }

    private sealed class Request(IReadOnlyList<MeasureInput> inputs, Action<int, MeasureResult>? onResult, CancellationToken cancellationToken)
    {
        public IReadOnlyList<MeasureInput> Inputs { get; } = inputs;
        public Action<int, MeasureResult>? OnResult { get; } = onResult;
        public CancellationToken CancellationToken { get; } = cancellationToken;
        public TaskCompletionSource<IReadOnlyList<MeasureResult>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenRegistration Cancellation { get; set; }
    }
}
