using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Tessel.KernelRuntime;

namespace Tessel.Measure;

/// <summary>This machine's read bandwidth, measured STREAM-like: the threads sum an array of floats, each its own
/// contiguous share, the same share on every pass (<see cref="WorkPool.ForRanges"/>, as a dense kernel splits its
/// weights), with 8 independent vector sums per thread (one sum would wait on the add's latency, not on memory:
/// <c>TensorPrimitives.Sum</c> read an 8 MiB array at 55-79 GB/s on one Zen 5 core where this reads 100+). The array
/// is touched first, so page faults are not timed; a sample repeats whole passes for at least 20 ms; the best of 5
/// samples counts. Bytes read per second, in GB/s.
/// <para>At <see cref="MemoryBytes"/> the array is far past any cache: main memory's bandwidth. At the size of a kernel's
/// operand it is the bandwidth of the cache level that operand stays in when the kernel is timed warm, call after call,
/// as the tuner times it: the roof of a kernel that streams its weights once a call.</para></summary>
public static unsafe class MemoryBandwidth
{
    /// <summary>128 MiB: past the last-level cache of any host Tessel runs on.</summary>
    public const long MemoryBytes = 128L << 20;

    private const double SampleSeconds = 0.02;
    private const int Samples = 5;

    /// <summary>Main memory's read bandwidth at <paramref name="threads"/> threads.</summary>
    public static double Measure(int threads) => Measure(threads, MemoryBytes);

    /// <summary>The read bandwidth of an array of <paramref name="bytes"/> read again and again at <paramref name="threads"/> threads.</summary>
    public static double Measure(int threads, long bytes)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), $"threads must be >= 1, got {threads}");
        if (bytes < 4096) throw new ArgumentOutOfRangeException(nameof(bytes), $"bytes must be >= 4096, got {bytes}");
        var floats = bytes / sizeof(float);
        var data = (float*)NativeMemory.AlignedAlloc((nuint)(floats * sizeof(float)), 64);
        try
        {
            for (long at = 0; at < floats; at += int.MaxValue) new Span<float>(data + at, (int)Math.Min(floats - at, int.MaxValue)).Fill(1f);
            var sums = new float[threads];
            Action<int> share = t =>
            {
                long from = floats * t / threads, to = floats * (t + 1) / threads;
                sums[t] += Sum(data + from, to - from);
            };
            WorkPool.ForRanges(threads, threads, share);
            var best = 0.0;
            for (var sample = 0; sample < Samples; sample++)
            {
                var passes = 0;
                var start = Stopwatch.GetTimestamp();
                double seconds;
                do
                {
                    WorkPool.ForRanges(threads, threads, share);
                    passes++;
                }
                while ((seconds = Stopwatch.GetElapsedTime(start).TotalSeconds) < SampleSeconds);
                best = Math.Max(best, (double)floats * sizeof(float) * passes / seconds / 1e9);
            }
            GC.KeepAlive(sums);
            return best;
        }
        finally
        {
            NativeMemory.AlignedFree(data);
        }
    }

    /// <summary>The sum of <paramref name="count"/> floats from <paramref name="p"/>, in the widest vectors the JIT accelerates.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Sum(float* p, long count)
    {
        if (Vector512.IsHardwareAccelerated) return Sum512(p, count);
        var (a0, a1, a2, a3, a4, a5, a6, a7) = (Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero,
            Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero);
        long i = 0;
        for (; i + 64 <= count; i += 64)
        {
            a0 += Vector256.Load(p + i); a1 += Vector256.Load(p + i + 8); a2 += Vector256.Load(p + i + 16); a3 += Vector256.Load(p + i + 24);
            a4 += Vector256.Load(p + i + 32); a5 += Vector256.Load(p + i + 40); a6 += Vector256.Load(p + i + 48); a7 += Vector256.Load(p + i + 56);
        }
        var sum = Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
        for (; i < count; i++) sum += p[i];
        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Sum512(float* p, long count)
    {
        var (a0, a1, a2, a3, a4, a5, a6, a7) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero,
            Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
        long i = 0;
        for (; i + 128 <= count; i += 128)
        {
            a0 += Vector512.Load(p + i); a1 += Vector512.Load(p + i + 16); a2 += Vector512.Load(p + i + 32); a3 += Vector512.Load(p + i + 48);
            a4 += Vector512.Load(p + i + 64); a5 += Vector512.Load(p + i + 80); a6 += Vector512.Load(p + i + 96); a7 += Vector512.Load(p + i + 112);
        }
        var sum = Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
        for (; i < count; i++) sum += p[i];
        return sum;
    }
}
