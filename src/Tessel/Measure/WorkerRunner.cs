using System.Diagnostics;
using System.Text.Json;
using Tessel.Measure.Protocol;

namespace Tessel.Measure;

/// <summary>Runs built kernels in a separate worker process, one config at a time, each within
/// <see cref="MeasureOptions.RunTimeout"/>. A kernel that kills the worker gets
/// <see cref="MeasureErrorNo.RuntimeDevice"/>, one that hangs gets <see cref="MeasureErrorNo.RunTimeout"/>
/// (its process tree is killed); either way a fresh worker takes the remaining configs. The worker lives
/// across batches, so its start is paid once. Only the caller's cancellation throws, and it kills the worker.</summary>
public sealed class WorkerRunner(WorkerRunnerOptions? options = null) : IAsyncDisposable
{
    private readonly WorkerRunnerOptions options = options ?? new WorkerRunnerOptions();
    private readonly SemaphoreSlim gate = new(1, 1);
    private WorkerProcess? worker;

    /// <summary>Process id of the live worker, if any.</summary>
    public int? ProcessId => worker is { HasExited: false } w ? w.Id : null;

    /// <summary>How many worker processes were started so far (restarts included).</summary>
    public int Starts { get; private set; }

    /// <summary>Starts the worker now, rather than at the first kernel.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try { await EnsureWorkerAsync(cancellationToken).ConfigureAwait(false); }
        finally { gate.Release(); }
    }

    /// <summary>Kills the worker now (a later run starts a fresh one).</summary>
    public async Task StopAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try { await DropWorkerAsync("stopped").ConfigureAwait(false); }
        finally { gate.Release(); }
    }

    /// <summary>One result per build, in order: build failures passed through, the rest measured.</summary>
    public async Task<IReadOnlyList<MeasureResult>> RunAsync(
        IReadOnlyList<BuildResult> builds, MeasureOptions measureOptions, CancellationToken cancellationToken = default,
        Action<int, MeasureResult>? onResult = null)
    {
        measureOptions.Validate();
        var spec = RunSpec.From(measureOptions);
        var results = new MeasureResult[builds.Count];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var i = 0; i < builds.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results[i] = builds[i].Succeeded
                    ? await RunOneAsync(builds[i], spec, measureOptions.RunTimeout, cancellationToken).ConfigureAwait(false)
                    : builds[i].ToFailure();
                onResult?.Invoke(i, results[i]);
            }
            await UnloadImageAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await DropWorkerAsync("the caller cancelled").ConfigureAwait(false);
            throw;
        }
        finally
        {
            gate.Release();
        }
        return results;
    }

    /// <summary>Time allowed for a task's tensors to reach the worker: <see cref="WorkerRunnerOptions.LoadTimeout"/>
    /// and 2 s per 10 MB. VGG's 411 MB dense layer loads in 8 s on a quiet machine; on a busy one each 64 KB of the
    /// pipe waits for the worker to be scheduled, and 64 MB did not arrive in 15 s in CI.</summary>
    private TimeSpan LoadLimit(TaskTensors tensors) => options.LoadTimeout +
        TimeSpan.FromSeconds(sizeof(float) * ((long)tensors.Data.Length + tensors.Weight.Length + tensors.Expected.Length) / 5e6);

    private async Task<MeasureResult> RunOneAsync(BuildResult build, RunSpec spec, TimeSpan runTimeout, CancellationToken cancellationToken)
    {
        var task = build.Input.Task;
        var image = build.Image!;
        var className = build.ClassName!;
        // The clock starts before the task's tensors: the first trial of a task pays for its reference output.
        var clock = Stopwatch.StartNew();
        var tensors = TaskTensors.For(task);
        var reference = clock.Elapsed.TotalSeconds;
        var w = await EnsureWorkerAsync(cancellationToken).ConfigureAwait(false);
        clock.Restart();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The kernel's limit must not be spent moving the task's tensors: a big dense layer's weights (400 MB for
        // VGG's first) take seconds through the pipe, and a limit that includes them fails every config of the task.
        // So the load has a limit of its own, and the kernel's starts when the load is done.
        var loading = !w.Tasks.Contains(tensors.WorkloadKey);
        var limit = loading ? LoadLimit(tensors) : runTimeout;
        timeout.CancelAfter(limit);
        // A hung kernel never reads its pipe again: killing the process is what ends the wait.
        await using var kill = timeout.Token.Register(w.Kill).ConfigureAwait(false);
        var phase = "loading the task";
        double taskLoad = 0, imageLoad = 0;
        try
        {
            if (loading)
            {
                Expect<AckReply>(await w.ExchangeAsync(new LoadTaskRequest(tensors.WorkloadKey,
                    MessagePipe.ToBytes(tensors.Data), MessagePipe.ToBytes(tensors.Weight), MessagePipe.ToBytes(tensors.Expected)),
                    timeout.Token).ConfigureAwait(false), phase);
                w.Tasks.Add(tensors.WorkloadKey);
                limit = runTimeout;
                timeout.CancelAfter(limit);
                taskLoad = clock.Elapsed.TotalSeconds;
            }
            phase = "loading the kernel image";
            if (w.ImageId != image.Id)
            {
                w.ImageId = null;
                Expect<AckReply>(await w.ExchangeAsync(new LoadImageRequest(image.Id, image.Bytes), timeout.Token).ConfigureAwait(false), phase);
                w.ImageId = image.Id;
                imageLoad = clock.Elapsed.TotalSeconds - taskLoad;
            }
            phase = "running " + className;
            var reply = Expect<KernelResultReply>(
                await w.ExchangeAsync(new MeasureKernelRequest(tensors.WorkloadKey, image.Id, className, spec), timeout.Token).ConfigureAwait(false),
                phase);
            var run = clock.Elapsed.TotalSeconds - taskLoad - imageLoad;
            return new MeasureResult(reply.Costs, reply.ErrorNo, build.BuildSeconds + reference + clock.Elapsed.TotalSeconds, MeasureResult.Now(), reply.Message)
            {
                Stages = new TrialStages(build.EmitSeconds, build.BuildSeconds - build.EmitSeconds, reference, taskLoad, imageLoad, run, reply.Stages),
            };
        }
        catch (Exception e) when (e is OperationCanceledException or WorkerGoneException && !cancellationToken.IsCancellationRequested)
        {
            var timedOut = timeout.IsCancellationRequested;
            var notice = await DropWorkerAsync(timedOut ? $"{className} ran past {limit.TotalSeconds:G4} s" : $"worker died {phase}").ConfigureAwait(false);
            var all = build.BuildSeconds + reference + clock.Elapsed.TotalSeconds;
            if (timedOut)
                return MeasureResult.Error(MeasureErrorNo.RunTimeout, $"{className} did not finish within {limit.TotalSeconds:G4} s ({phase}); worker killed", all);
            var error = phase.StartsWith("running", StringComparison.Ordinal) ? MeasureErrorNo.RuntimeDevice : MeasureErrorNo.UnknownError;
            return MeasureResult.Error(error, $"worker process died while {phase}: {notice}", all);
        }
        catch (Exception e) when (e is WorkerProtocolException or JsonException or InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
        {
            await DropWorkerAsync($"protocol error: {e.Message}").ConfigureAwait(false);
            return MeasureResult.Error(MeasureErrorNo.UnknownError, $"worker protocol error while {phase}: {e.Message}",
                build.BuildSeconds + reference + clock.Elapsed.TotalSeconds);
        }
        catch (WorkerGoneException)
        {
            // The caller cancelled and the kill ended the read first.
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }
    }

    private static T Expect<T>(WorkerMessage? reply, string phase) where T : WorkerMessage => reply switch
    {
        T expected => expected,
        null => throw new WorkerGoneException(),
        FailureReply failure => throw new WorkerProtocolException($"worker refused while {phase}: {failure.Message}"),
        _ => throw new WorkerProtocolException($"unexpected {reply.GetType().Name} while {phase}"),
    };

    private async Task UnloadImageAsync(CancellationToken cancellationToken)
    {
        if (worker is not { ImageId: not null } w || w.HasExited) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            w.ImageId = null;
            if (await w.ExchangeAsync(new UnloadImageRequest(), timeout.Token).ConfigureAwait(false) is not AckReply)
                await DropWorkerAsync("unload failed").ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is OperationCanceledException or IOException or JsonException or InvalidDataException)
        {
            await DropWorkerAsync($"unload failed: {e.Message}").ConfigureAwait(false);
        }
    }

    private async Task<WorkerProcess> EnsureWorkerAsync(CancellationToken cancellationToken)
    {
        if (worker is { HasExited: false } live) return live;
        if (worker is not null) await DropWorkerAsync("it exited").ConfigureAwait(false);
        worker = await WorkerProcess.StartAsync(options, cancellationToken).ConfigureAwait(false);
        Starts++;
        options.Diagnostics?.Invoke($"measuring worker started, pid {worker.Id} (start #{Starts})");
        return worker;
    }

    /// <summary>Kills the current worker, if any; never throws (a cleanup error must not hide the original).</summary>
    private async Task<string> DropWorkerAsync(string why)
    {
        var w = worker;
        worker = null;
        if (w is null) return "no worker";
        try
        {
            var notice = await w.KillAsync().ConfigureAwait(false);
            options.Diagnostics?.Invoke($"measuring worker {w.Id} dropped ({why}): {notice}");
            return notice;
        }
        catch (Exception e)
        {
            options.Diagnostics?.Invoke($"cleaning up the measuring worker failed: {e.Message}");
            return $"cleanup failed: {e.Message}";
        }
        finally
        {
            try { await w.DisposeAsync().ConfigureAwait(false); }
            catch (Exception e) { options.Diagnostics?.Invoke($"disposing the measuring worker failed: {e.Message}"); }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (worker is { } w)
            {
                worker = null;
                await w.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
            gate.Dispose();
        }
    }

    private sealed class WorkerGoneException() : Exception("the worker process ended");

    private sealed class WorkerProtocolException(string message) : Exception(message);
}
