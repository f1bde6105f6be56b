namespace Tessel.Codegen;

/// <summary>The parallel loop generated kernels run on. Its helper threads spin for a while after each loop
/// instead of going to sleep, so the next kernel of a model finds them awake: on a VM, waking a sleeping
/// pool thread for every <c>Parallel.For</c> costs about a quarter of a millisecond, more than many
/// kernels take (ONNX Runtime's pool spins the same way). One loop runs at a time; the caller takes part.</summary>
public static class KernelParallel
{
    /// <summary>How long a helper keeps spinning for the next loop before it sleeps.</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 50;

    private static readonly object Gate = new();
    private static readonly SemaphoreSlim Wake = new(0);
    private static readonly int HelperCount = Math.Max(1, Environment.ProcessorCount - 1);
    private static Loop? current;
    private static int started;
    private static int sleeping;

    private sealed class Loop(int from, int to, int helpers, Action<int> body)
    {
        public readonly int To = to;
        public readonly Action<int> Body = body;
        public int Next = from;
        public int Seats = helpers;
        public int Active;
        public Exception? Error;

        public void Work()
        {
            try
            {
                for (var i = Interlocked.Increment(ref Next) - 1; i < To; i = Interlocked.Increment(ref Next) - 1) Body(i);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref Error, e, null);
                Volatile.Write(ref Next, To);
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> for every index in [<paramref name="from"/>, <paramref name="to"/>)
    /// on up to <paramref name="threads"/> threads, the caller included; returns when all are done.</summary>
    public static void For(int from, int to, int threads, Action<int> body)
    {
        if (threads <= 1 || to - from <= 1)
        {
            for (var i = from; i < to; i++) body(i);
            return;
        }
        EnsureHelpers();
        lock (Gate)
        {
            var loop = new Loop(from, to, Math.Min(threads - 1, HelperCount), body);
            Volatile.Write(ref current, loop);
            var asleep = Volatile.Read(ref sleeping);
            if (asleep > 0) Wake.Release(asleep);
            loop.Work();
            var spin = new SpinWait();
            while (Volatile.Read(ref loop.Active) > 0) spin.SpinOnce(-1);
            Volatile.Write(ref current, null);
            if (loop.Error is { } error) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
    }

    private static void EnsureHelpers()
    {
        if (Volatile.Read(ref started) != 0 || Interlocked.Exchange(ref started, 1) != 0) return;
        for (var h = 0; h < HelperCount; h++)
            new Thread(Helper) { IsBackground = true, Name = $"tessel-kernel-{h}" }.Start();
    }

    private static void Helper()
    {
        Loop? last = null;
        var idleSince = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            var loop = Volatile.Read(ref current);
            if (loop is not null && loop != last)
            {
                last = loop;
                // Take a seat (at most threads - 1 helpers join), then help until the indices run out.
                if (Interlocked.Decrement(ref loop.Seats) >= 0)
                {
                    Interlocked.Increment(ref loop.Active);
                    loop.Work();
                    Interlocked.Decrement(ref loop.Active);
                }
                idleSince = System.Diagnostics.Stopwatch.GetTimestamp();
                continue;
            }
            if (System.Diagnostics.Stopwatch.GetTimestamp() - idleSince < SpinTicks)
            {
                Thread.SpinWait(64);
                continue;
            }
            Interlocked.Increment(ref sleeping);
            Wake.Wait(10);
            Interlocked.Decrement(ref sleeping);
            idleSince = System.Diagnostics.Stopwatch.GetTimestamp();
        }
    }
}
