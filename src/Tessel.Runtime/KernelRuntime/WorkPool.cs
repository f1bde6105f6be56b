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
/// job with <c>Parallel.For</c> instead. An exception in any work item is rethrown to the caller.</para>
/// <para>The caller waits only for the workers that joined the job: one that comes after every item was taken (its
/// core busy with another process, as on a shared 2-core VM) finds the job closed. Waiting for every worker to check
/// in made a 0.1 ms dense layer at 2 threads take 2-3 ms a call (median) under other processes' load, where ONNX
/// Runtime's pool, which does not wait, kept 0.12 ms.</para>
/// <para>Items go to threads either as they come (<see cref="For"/>) or in one contiguous range per thread, the same
/// range on every call (<see cref="ForRanges"/>).</para></summary>
public static class WorkPool
{
    /// <summary>How long an idle worker spins before it sleeps: 20 ms. With 1 ms, PP-OCRv4-rec's depthwise convs at
    /// two threads ran 3.1 ms in the model's order (their workers asleep after the single-threaded ops between
    /// them) against 1.2 ms with 20.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 50;

    private static readonly Lock Gate = new();
    private static readonly Lazy<Worker[]> Workers = new(StartWorkers);
    private static Action<int>? workerSetUp;

    // The current job, written by the caller before it publishes its generation.
    private static Action<int>? body;
    private static int count, participants;
    private static bool ranged;
    private static Exception? error;
    private static Counters counters;
    // ForRanges' ranges, one per participant (the caller's first): the next item and the end of each.
    private static readonly Range[] Ranges = new Range[Environment.ProcessorCount];

    /// <summary>What the threads write while a job runs, each on its own cache line: idle workers poll the
    /// job word, and would otherwise slow every item grab (next).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Counters
    {
        /// <summary>The job word: the generation (<see cref="GenerationShift"/> bits up), whether the job is closed to
        /// workers that have not joined it (<see cref="Closed"/>), and how many workers are in it (the low bits). One word,
        /// so that joining (compare-and-swap) cannot race with closing.</summary>
        [FieldOffset(0)] public long Job;
        [FieldOffset(64)] public int Next;
    }

    private const int GenerationShift = 17;
    private const long Closed = 1L << 16, InJob = Closed - 1;

    private static long GenerationOf(long job) => job >> GenerationShift;

    /// <summary>One thread's range of a <see cref="ForRanges"/> job, on its own cache line: its owner takes items from it
    /// without contention, another thread only once its own range is done.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct Range
    {
        [FieldOffset(0)] public int Next;
        [FieldOffset(4)] public int End;
    }

    /// <summary>Runs <paramref name="body"/> for 0 .. <paramref name="items"/> - 1 on at most
    /// <paramref name="threads"/> threads, the caller's among them; returns when every item has run.</summary>
    public static void For(int items, int threads, Action<int> body) => Run(items, threads, body, byRange: false);

    /// <summary>As <see cref="For"/>, but the items are cut into one contiguous range per thread, which that thread
    /// takes first, in order: the caller the first range, pool worker w the (w + 2)th, the same on every call. A kernel
    /// that reads a large operand again on each call (a dense layer's weights) then finds its share in its own core's
    /// caches, and streams it as one region; with items taken as they come, the share moved between cores from call to
    /// call. A thread done with its range takes what is left of the others', so one that comes late does not stall the job.</summary>
    public static void ForRanges(int items, int threads, Action<int> body) => Run(items, threads, body, byRange: true);

    private static void Run(int items, int threads, Action<int> body, bool byRange)
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
            ranged = byRange;
            if (byRange)
                for (var p = 0; p < share; p++) (Ranges[p].Next, Ranges[p].End) = ((int)((long)items * p / share), (int)((long)items * (p + 1) / share));
            error = null;
            participants = share;
            // A full fence: a worker that sees the new generation sees the job above.
            Interlocked.Exchange(ref counters.Job, (GenerationOf(counters.Job) + 1) << GenerationShift);
            for (var w = 0; w < share - 1; w++) workers[w].WakeIfAsleep();
            Work(0);
            // Every item is taken; those taken by workers are done once no worker is in the job. Closing it then
            // (in the same word workers join through) keeps a late worker out.
            var spin = new SpinWait();
            for (long job; ((job = Volatile.Read(ref counters.Job)) & InJob) != 0 || Interlocked.CompareExchange(ref counters.Job, job | Closed, job) != job;)
                spin.SpinOnce(sleep1Threshold: -1);
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

    /// <summary>The most elements a <see cref="Split"/> pass hands <c>range</c> at once. TensorPrimitives writes a span
    /// over 256 KB with non-temporal stores, which leave the output out of the cache for the step that reads it next:
    /// 64 planes of 224 x 224 max-pooled after a ReLU over the whole tensor took 1.32 ms, after the same ReLU written
    /// through the cache 0.39 (Zen 4). Steps that call TensorPrimitives on a plane go in pieces of this size too.</summary>
    internal const int Piece = 16 * 1024;

    /// <summary>An element-wise pass over <paramref name="length"/> elements as <paramref name="range"/>(from, to)
    /// calls: one contiguous share per thread (cut on cache lines), or all on the caller when the pass is short; each
    /// share in pieces of at most <see cref="Piece"/> elements.</summary>
    public static Action Split(int length, int threads, Action<int, int> range)
    {
        var shares = Shares(length, threads, length);
        if (shares <= 1) return () => InPieces(0, length, range);
        const int line = 16;
        var lines = (length + line - 1) / line;
        Action<int> share = s => InPieces(s * lines / shares * line, Math.Min(length, (s + 1) * lines / shares * line), range);
        return () => For(shares, shares, share);
    }

    private static void InPieces(int from, int to, Action<int, int> range)
    {
        for (var at = from; at < to; at += Piece) range(at, Math.Min(to, at + Piece));
    }

    /// <summary>How many threads a pass of <paramref name="elements"/> elements in <paramref name="pieces"/> pieces takes:
    /// one below <see cref="ParallelElements"/>, else as many as asked, the cores and the pieces allow.</summary>
    private static int Shares(long elements, int threads, int pieces) =>
        elements >= ParallelElements ? Math.Min(Math.Min(threads, Environment.ProcessorCount), pieces) : 1;

    /// <summary>A pass over <paramref name="rows"/> rows of <paramref name="rowElements"/> elements each (a pool's output
    /// rows, a BN pass's channel planes) as <paramref name="range"/>(from, to) calls over rows: one contiguous share of
    /// rows per thread when the whole pass has enough elements to pay for a second thread, else one call. (Counting rows
    /// as elements, <see cref="Split"/> kept every such pass on one thread.)</summary>
    public static Action SplitRows(int rows, long rowElements, int threads, Action<int, int> range)
    {
        var shares = Shares(rows * rowElements, threads, rows);
        if (shares <= 1) return () => range(0, rows);
        Action<int> share = s => range((int)((long)s * rows / shares), (int)((long)(s + 1) * rows / shares));
        return () => For(shares, shares, share);
    }

    /// <summary>A per-plane pass (a channel's scale and shift): <paramref name="planes"/> planes of
    /// <paramref name="plane"/> elements shared among the threads as <see cref="SplitRows"/> does, each plane handed to
    /// <paramref name="piece"/>(plane index, first element, length) in pieces of at most <see cref="Piece"/> elements, so
    /// a TensorPrimitives call on it writes through the cache.</summary>
    public static Action SplitPlanes(int planes, int plane, int threads, Action<int, int, int> piece) =>
        SplitRows(planes, plane, threads, (from, to) =>
        {
            for (var p = from; p < to; p++)
            for (var at = 0; at < plane; at += Piece)
                piece(p, p * plane + at, Math.Min(Piece, plane - at));
        });

    /// <summary>Takes items until none is left, participant <paramref name="self"/> (0: the caller) of the job; the first
    /// exception ends the job for every thread.</summary>
    private static void Work(int self)
    {
        var job = body!;
        if (!ranged)
        {
            int i;
            while ((i = Interlocked.Increment(ref counters.Next) - 1) < count) Take(job, i);
            return;
        }
        // Its own range first, then what is left of the others'.
        var share = participants;
        for (var r = 0; r < share; r++)
        {
            ref var range = ref Ranges[(self + r) % share];
            int i, end = range.End;
            while ((i = Interlocked.Increment(ref range.Next) - 1) < end) Take(job, i);
        }
    }

    private static void Take(Action<int> job, int i)
    {
        try
        {
            job(i);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref error, e, null);
            Volatile.Write(ref counters.Next, count);
            for (var p = 0; p < participants; p++) Volatile.Write(ref Ranges[p].Next, Ranges[p].End);
        }
    }

    /// <summary>Has each pool thread run <paramref name="setUp"/>(its participant number: 1 for the first worker, the caller
    /// being 0) when it starts, before its first job; for a process that owns the machine's cores, such as the measuring
    /// worker, which pins each thread to a core of its own. Only before the pool's first parallel job.</summary>
    public static void OnWorkerStart(Action<int> setUp)
    {
        if (Workers.IsValueCreated) throw new InvalidOperationException("the work pool's threads have started already");
        workerSetUp = setUp;
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
            var seen = GenerationOf(Volatile.Read(ref counters.Job));
            new Thread(() => Loop(seen)) { IsBackground = true, Name = $"Tessel work pool {id + 1}" }.Start();
        }

        /// <summary>Called after a new generation was published: a sleeping worker would not see it.</summary>
        public void WakeIfAsleep()
        {
            if (Volatile.Read(ref asleep) == 1) wake.Set();
        }

        private void Loop(long seen)
        {
            workerSetUp?.Invoke(id + 1);
            while (true)
            {
                seen = AwaitJob(seen);
                if (id < Volatile.Read(ref participants) - 1 && Join(seen))
                {
                    Work(id + 1);
                    Interlocked.Decrement(ref counters.Job);
                }
            }
        }

        /// <summary>Joins the job of this generation unless it is closed (its caller is done with it) or past.</summary>
        private static bool Join(long generation)
        {
            var job = Volatile.Read(ref counters.Job);
            while (GenerationOf(job) == generation && (job & Closed) == 0)
            {
                var was = Interlocked.CompareExchange(ref counters.Job, job + 1, job);
                if (was == job) return true;
                job = was;
            }
            return false;
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
                if ((current = GenerationOf(Volatile.Read(ref counters.Job))) != seen) return current;
                spinner.SpinOnce(sleep1Threshold: -1);
                if (Stopwatch.GetTimestamp() - start < SpinTicks) continue;
                // Sleep, announcing it first and looking again, so a job posted in between is not missed.
                wake.Reset();
                Interlocked.Exchange(ref asleep, 1);
                if (GenerationOf(Volatile.Read(ref counters.Job)) == seen) wake.Wait();
                Interlocked.Exchange(ref asleep, 0);
                if ((current = GenerationOf(Volatile.Read(ref counters.Job))) != seen) return current;
                start = Stopwatch.GetTimestamp();
                spinner.Reset();
            }
        }
    }
}
