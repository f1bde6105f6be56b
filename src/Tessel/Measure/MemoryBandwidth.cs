using System.Diagnostics;
using System.Numerics.Tensors;

namespace Tessel.Measure;

/// <summary>This machine's memory read bandwidth, measured STREAM-like: every thread sums its slice of a 128 MiB
/// array (far past any cache) with the vectorised sum of System.Numerics.Tensors; the array is touched once
/// first, so page faults are not timed, and the best of 5 passes counts. Bytes read per second, in GB/s.</summary>
public static class MemoryBandwidth
{
    private const int Floats = 32 << 20;

    public static double Measure(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), $"threads must be >= 1, got {threads}");
        var data = GC.AllocateUninitializedArray<float>(Floats);
        data.AsSpan().Fill(1f);
        var slice = Floats / threads;
        var best = 0.0;
        var sink = 0f;
        for (var pass = 0; pass < 5; pass++)
        {
            var sums = new float[threads];
            var start = Stopwatch.GetTimestamp();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads },
                t => sums[t] = TensorPrimitives.Sum<float>(data.AsSpan(t * slice, slice)));
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            sink += sums.Sum();
            best = Math.Max(best, (double)slice * threads * sizeof(float) / seconds / 1e9);
        }
        GC.KeepAlive(sink);
        return best;
    }
}
