using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessel.Measure;

/// <summary>This machine's fp32 fused multiply-add peak, measured: every thread runs 12 independent
/// accumulator chains (enough to cover FMA latency x throughput on current x86 cores) of the widest
/// vector FMA the JIT accelerates, for about 0.2 s; the best of 3 runs counts. Two flops per lane per FMA.</summary>
public static class FmaPeak
{
    private const long Iterations = 4_000_000;

    public static double Measure(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), $"threads must be >= 1, got {threads}");
        var lanes = Vector512.IsHardwareAccelerated ? 16 : Vector256<float>.Count;
        var best = 0.0;
        var sink = 0f;
        for (var run = 0; run < 3; run++)
        {
            var results = new float[threads];
            var start = Stopwatch.GetTimestamp();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads },
                t => results[t] = Vector512.IsHardwareAccelerated ? Chains512(Iterations) : Chains256(Iterations));
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            sink += results.Sum();
            best = Math.Max(best, threads * Iterations * 12.0 * lanes * 2 / seconds / 1e9);
        }
        GC.KeepAlive(sink);
        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains256(long iterations)
    {
        var m = Vector256.Create(0.999999f);
        var c = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0,
            a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Fma256(a0, m, c); a1 = Fma256(a1, m, c); a2 = Fma256(a2, m, c); a3 = Fma256(a3, m, c);
            a4 = Fma256(a4, m, c); a5 = Fma256(a5, m, c); a6 = Fma256(a6, m, c); a7 = Fma256(a7, m, c);
            a8 = Fma256(a8, m, c); a9 = Fma256(a9, m, c); a10 = Fma256(a10, m, c); a11 = Fma256(a11, m, c);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains512(long iterations)
    {
        var m = Vector512.Create(0.999999f);
        var c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0,
            a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma256(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
}
