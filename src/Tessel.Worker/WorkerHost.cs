using System.Diagnostics;
using Tessel.Measure;
using Tessel.Measure.Protocol;
using Tessel.Measure.Timing;
using Tessel.KernelRuntime;
using Tessel.Kernels;

namespace Tessel.Worker;

/// <summary>The worker's message loop, on one thread (the measuring thread). It knows no templates: tasks
/// arrive as tensors with their expected output, kernels as an assembly image and a class name.</summary>
internal sealed unsafe class WorkerHost(Stream input, Stream output)
{
    private readonly Dictionary<string, TaskBuffers> tasks = new(StringComparer.Ordinal);
    private KernelLoadContext? context;
    private string? imageId;

    public int Run()
    {
        WarmUpRuntime();
        MessagePipe.Write(output, new HelloReply(Environment.ProcessId, HelloReply.CurrentVersion));
        while (MessagePipe.Read(input) is { } message)
        {
            if (message is ShutdownRequest) { MessagePipe.Write(output, new AckReply()); break; }
            WorkerMessage reply;
            try { reply = Handle(message); }
            catch (Exception e) { reply = new FailureReply($"{message.GetType().Name} failed: {Describe(e)}"); }
            MessagePipe.Write(output, reply);
        }
        Unload();
        foreach (var task in tasks.Values) task.Dispose();
        return 0;
    }

    private WorkerMessage Handle(WorkerMessage message)
    {
        switch (message)
        {
            case LoadTaskRequest load:
                if (tasks.Remove(load.WorkloadKey, out var old)) old.Dispose();
                tasks[load.WorkloadKey] = new TaskBuffers(
                    MessagePipe.ToFloats(load.Data), MessagePipe.ToFloats(load.Weight), MessagePipe.ToFloats(load.Expected));
                return new AckReply();
            case LoadImageRequest image:
                Unload();
                context = new KernelLoadContext(image.Image);
                imageId = image.ImageId;
                return new AckReply();
            case UnloadImageRequest:
                Unload();
                return new AckReply();
            case MeasureKernelRequest measure:
                if (!tasks.TryGetValue(measure.WorkloadKey, out var task))
                    return new FailureReply($"task not loaded: {measure.WorkloadKey}");
                if (context is null || imageId != measure.ImageId)
                    return new FailureReply($"image {measure.ImageId} not loaded (have {imageId ?? "none"})");
                return Measure(context, measure.ClassName, task, measure.Spec);
            default:
                return new FailureReply($"unexpected message {message.GetType().Name}");
        }
    }

    private static KernelResultReply Measure(KernelLoadContext context, string className, TaskBuffers task, RunSpec spec)
    {
        IKernel kernel;
        var clock = Stopwatch.StartNew();
        double prepared, checkedAt, piloted;
        try
        {
            kernel = context.Create(className);
            kernel.Prepare(task.Weight, spec.Threads);
            prepared = clock.Elapsed.TotalSeconds;
        }
        catch (Exception e)
        {
            return Error(MeasureErrorNo.RuntimeDevice, $"preparing {className} failed: {Describe(e)}");
        }

        // A kernel in channel-blocked layouts runs on the task's data converted to its layout (untimed), and its
        // output is converted back before the check.
        using var blocked = kernel.Layout is { } layout ? new BlockedBuffers(layout, task.Data) : null;
        var data = blocked is null ? task.Data : blocked.Data;
        var outputPtr = blocked is null ? task.Output : blocked.Output;
        try
        {
            // The first call checks correctness: the output starts as NaN, so unwritten elements fail too.
            task.OutputSpan.Fill(float.NaN);
            blocked?.FillOutput(float.NaN);
            kernel.Run(data, outputPtr);
            blocked?.CopyOutputTo(task.Output);
            if (spec.CheckCorrectness && Check(task.OutputSpan, task.Expected, spec.Tolerance) is { } wrong)
                return Error(MeasureErrorNo.WrongAnswer, $"{className}: {wrong}");
            for (var i = 1; i < spec.WarmUp; i++) kernel.Run(data, outputPtr);
            checkedAt = clock.Elapsed.TotalSeconds;
        }
        catch (Exception e)
        {
            return Error(MeasureErrorNo.RuntimeDevice, $"{className} threw: {Describe(e)}");
        }

        void RunMany(long calls)
        {
            for (long i = 0; i < calls; i++) kernel.Run(data, outputPtr);
        }

        // A single-threaded kernel's thread is pinned where it is; a parallel one's to the first core, the pool's threads
        // being on the others (WarmUpRuntime).
        using var pin = spec.Threads == 1 || Cpus.Count < 2 ? ThreadAffinity.PinCurrentThread() : ThreadAffinity.PinCurrentThreadTo(Cpus[0]);
        try
        {
            var timer = RepeatTimer.System;
            Action? flush = spec.FlushCache ? CacheFlush.ForThisMachine.Run : null;
            var calls = timer.PilotCalls(RunMany, spec.Number, spec.MinRepeatMs, flush);
            piloted = clock.Elapsed.TotalSeconds;
            var costs = timer.Repeats(RunMany, calls, spec.Repeat, spec.CooldownMs, flush);
            return new KernelResultReply(MeasureErrorNo.NoError, costs, null, calls,
                new WorkerStages(prepared, checkedAt - prepared, piloted - checkedAt, clock.Elapsed.TotalSeconds - piloted));
        }
        catch (Exception e)
        {
            return Error(MeasureErrorNo.RuntimeDevice, $"{className} threw while timed: {Describe(e)}");
        }
    }

    /// <summary>Null when the output matches; else what is wrong with it.</summary>
    internal static string? Check(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double tolerance)
    {
        double maxErr = 0, maxRef = 0;
        var worst = -1;
        for (var i = 0; i < expected.Length; i++)
        {
            if (float.IsNaN(actual[i]) && !float.IsNaN(expected[i]))
                return $"output[{i}] is NaN, expected {expected[i]}";
            var err = Math.Abs((double)actual[i] - expected[i]);
            if (err > maxErr) { maxErr = err; worst = i; }
            maxRef = Math.Max(maxRef, Math.Abs((double)expected[i]));
        }
        var relative = maxRef > 0 ? maxErr / maxRef : maxErr;
        return relative > tolerance || double.IsNaN(relative)
            ? $"max abs error {maxErr:G4} (relative {relative:G4} > {tolerance:G4}) at output[{worst}]: {actual[worst]} vs {expected[worst]}"
            : null;
    }

    private static KernelResultReply Error(MeasureErrorNo error, string message) => new(error, [], message, 0);

    private static string Describe(Exception e) =>
        e is AggregateException { InnerExceptions.Count: 1 } a ? Describe(a.InnerExceptions[0]) : $"{e.GetType().FullName}: {e.Message}";

    private void Unload()
    {
        if (context is null) return;
        context.Unload();
        context = null;
        imageId = null;
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    /// <summary>The cores the worker may use, in order: a parallel kernel's measuring thread takes the first, the work pool's
    /// threads one each of the rest.</summary>
    private static readonly IReadOnlyList<int> Cpus = ThreadAffinity.AllowedCpus();

    /// <summary>Starts the thread pool's and the kernels' work pool's threads (so they keep the process's affinity when the
    /// measuring thread is pinned later; the work pool's each pinned to a core of its own) and jits the measuring path once.
    /// Unpinned, a pool thread woken after a quiet spell could land on the measuring thread's core and stay there for a
    /// whole trial, which then ran at one thread's speed: at 2 threads on 2 cores, a dense layer's first trial of a batch
    /// measured 0.083-0.090 ms in 6 runs of 16 against 0.045 in the others; pinned, 1 run in 32.</summary>
    private static void WarmUpRuntime()
    {
        // A pool thread's pin is kept for its life: nothing to restore.
        if (Cpus.Count > 1) Tessel.KernelRuntime.WorkPool.OnWorkerStart(worker => ThreadAffinity.PinCurrentThreadTo(Cpus[worker % Cpus.Count]));
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount), io);
        Parallel.For(0, Environment.ProcessorCount * 4, _ => Thread.SpinWait(2000));
        Tessel.KernelRuntime.WorkPool.For(Environment.ProcessorCount * 4, Environment.ProcessorCount, _ => Thread.SpinWait(2000));
        var sink = 0L;
        RepeatTimer.System.Repeats(n => { for (long i = 0; i < n; i++) sink += i; }, 1000, 2, 0);
        GC.KeepAlive(sink);
    }
}
