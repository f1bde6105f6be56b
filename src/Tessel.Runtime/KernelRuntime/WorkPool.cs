using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.ExceptionServices;

namespace Tessel.KernelRuntime;

/// <summary>The fork-join that kernels and runtime steps share their work items through: one worker thread
/// per extra core, which after a job spins for a while (<see cref="SpinTicks"/>) before it sleeps. A model
/// runs dozens of parallel steps back to back, each a few tens of microseconds; waking a sleeping thread
/// for each (what <c>Parallel.For</c> on the .NET thread pool does after its workers park) costs about as
/// much as the step itself on a VM, and ONNX Runtime's spinning pool does not pay it.
/// <para>One job at a time: a caller that finds the pool busy (another thread's model or kernel) runs its
/// job with <c>Parallel.For</c> instead. An exception in any work item is rethrown to the caller.</para></summary>
public static class WorkPool
{
    /// <summary>How long an idle worker spins before it sleeps: 20 ms. With 1 ms, PP-OCRv4-rec's depthwise convs at
    /// two threads ran 3.1 ms in the model's order (their workers asleep after the single-threaded ops between
    /// them) against 1.2 ms with 20.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 50;

    private static readonly Lock Gate = new();
    private static readonly Lazy<Worker[]> Workers = new(StartWorkers);

    // The current job, written by the caller before it bumps the generation.
    private static Action<int>? body;
    private static int count, participants;
    private static Exception? error;
    private static Counters counters;

    /// <summary>What the threads write while a job runs, each on its own cache line: idle workers poll the
    /// generation, and would otherwise slow every item grab (next) and completion (running).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct Counters
    {
        [FieldOffset(0)] public long Generation;
        [FieldOffset(64)] public int Next;
        [FieldOffset(128)] public int Running;
    }

    /// <summary>Runs <paramref name="body"/> for 0 .. <paramref name="items"/> - 1 on at most
    /// <paramref name="threads"/> threads, the caller's among them; returns when every item has run.</summary>
    public static void For(int items, int threads, Action<int> body)
    {
        if (items <= 0) return;
        var share = Math.Min(Math.Min(threads, items), Environment.ProcessorCount);
        if (share <= 1)
        {
            for (var i = 0; i < items; i++) body(i);
            return;
        }
        // Started on first use by a parallel job (a thread inherits its creator's affinity: never from a caller
        // pinned to one core for a one-thread measurement).
        var workers = Workers.Value;
        // Busy with another caller's job, or called from inside a work item of this thread's own job.
        if (Gate.IsHeldByCurrentThread || !Gate.TryEnter())
        {
            // Parallel.For wraps a work item's exception; the caller gets it as the pool's own path gives it.
            try { Parallel.For(0, items, new ParallelOptions { MaxDegreeOfParallelism = threads }, body); }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
            return;
        }
        try
        {
            WorkPool.body = body;
            count = items;
            counters.Next = 0;
            error = null;
            participants = share;
            counters.Running = share - 1;
            Interlocked.Increment(ref counters.Generation);
            for (var w = 0; w < share - 1; w++) workers[w].WakeIfAsleep();
            Work();
            var spin = new SpinWait();
            while (Volatile.Read(ref counters.Running) > 0) spin.SpinOnce(sleep1Threshold: -1);
            WorkPool.body = null;
            if (error is { } e) ExceptionDispatchInfo.Throw(e);
        }
        finally
        {
            Gate.Exit();
        }
    }

    /// <summary>Below this many elements, an element-wise pass runs on one thread: a second costs more to
    /// bring in than it saves.</summary>
    private const int ParallelElements = 64 * 1024;

    /// <summary>An element-wise pass over <paramref name="length"/> elements as <paramref name="range"/>(from, to)
    /// calls: one contiguous share per thread (cut on cache lines), or one call when the pass is short.</summary>
    public static Action Split(int length, int threads, Action<int, int> range)
    {
        var shares = length >= ParallelElements ? Math.Min(threads, Environment.ProcessorCount) : 1;
        if (shares <= 1) return () => range(0, length);
        const int line = 16;
        var lines = (length + line - 1) / line;
        Action<int> share = s => range(s * lines / shares * line, Math.Min(length, (s + 1) * lines / shares * line));
        return () => For(shares, shares, share);
    }

    /// <summary>Takes items until none is left; the first exception ends the job for every thread.</summary>
    private static void Work()
    {
        var job = body!;
        int i;
        while ((i = Interlocked.Increment(ref counters.Next) - 1) < count)
        {
            try
            {
                job(i);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref error, e, null);
                Volatile.Write(ref counters.Next, count);
            }
        }
    }

    private static Worker[] StartWorkers() =>
        Enumerable.Range(0, Environment.ProcessorCount - 1).Select(id => new Worker(id)).ToArray();

    /// <summary>One pool thread: takes part in each job that asks for it, spinning between jobs, then sleeping.</summary>
    private sealed class Worker
    {
        private readonly int id;
        private readonly ManualResetEventSlim wake = new(false, spinCount: 0);
        private int asleep;

        public Worker(int id)
        {
            this.id = id;
            // The generation before the job that starts the pool: the thread may first run after it was posted.
            var seen = Volatile.Read(ref counters.Generation);
            new Thread(() => Loop(seen)) { IsBackground = true, Name = $"Tessel work pool {id + 1}" }.Start();
        }

        /// <summary>Called after the generation moved: a sleeping worker would not see it.</summary>
        public void WakeIfAsleep()
        {
            if (Volatile.Read(ref asleep) == 1) wake.Set();
        }

        private void Loop(long seen)
        {
            while (true)
            {
                var current = AwaitJob(seen);
                seen = current;
                if (id < Volatile.Read(ref participants) - 1)
                {
                    Work();
                    Interlocked.Decrement(ref counters.Running);
                }
            }
        }

        /// <summary>The next generation: spun for while jobs come often (yielding the core between polls to any
        /// other thread that wants it, such as a garbage collection), slept for after a quiet spell.</summary>
        private long AwaitJob(long seen)
        {
            var start = Stopwatch.GetTimestamp();
            var spinner = new SpinWait();
            while (true)
            {
                long current;
                if ((current = Volatile.Read(ref counters.Generation)) != seen) return current;
                spinner.SpinOnce(sleep1Threshold: -1);
                if (Stopwatch.GetTimestamp() - start < SpinTicks) continue;
                // Sleep, announcing it first and looking again, so a job posted in between is not missed.
                wake.Reset();
                Interlocked.Exchange(ref asleep, 1);
                if ((current = Volatile.Read(ref counters.Generation)) == seen) wake.Wait();
                Interlocked.Exchange(ref asleep, 0);
                if ((current = Volatile.Read(ref counters.Generation)) != seen) return current;
                start = Stopwatch.GetTimestamp();
                spinner.Reset();
            }
        }
    }
}
