using System.Collections.Concurrent;
using System.Diagnostics;
using Tessel.Layouts;

namespace Tessel.Runtime;

/// <summary>What a layout conversion step costs on this machine, for the kernel choice to weigh against a blocked
/// kernel's gain: measured once per process and thread count (NCHW to 16-channel blocks and back on a
/// 64 x 56 x 56 tensor, the fastest of seven runs), then scaled by a tensor's elements.</summary>
internal static class ConversionCost
{
    private static readonly ConcurrentDictionary<int, double> SecondsPerElement = new();

    public static double Seconds(long elements, int threads) => elements * SecondsPerElement.GetOrAdd(threads, Measure);

    private static unsafe double Measure(int threads)
    {
        const int channels = 64, plane = 56 * 56;
        var nchw = new float[channels * plane];
        var blocked = new float[ChannelBlocks.Length(1, channels, plane, 16)];
        var forward = new BlockConversion(1, 16, 1, channels, plane);
        var back = new BlockConversion(16, 1, 1, channels, plane);
        var best = double.PositiveInfinity;
        fixed (float* a = nchw, b = blocked)
            for (var run = 0; run < 7; run++)
            {
                var start = Stopwatch.GetTimestamp();
                forward.Run(a, b, threads);
                back.Run(b, a, threads);
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / 2);
            }
        return best / nchw.Length;
    }
}
