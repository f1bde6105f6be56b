using System.Collections.Concurrent;
using System.Diagnostics;
using Tessel.Layouts;

namespace Tessel.Planning;

/// <summary>What a layout conversion step costs on this machine, for the kernel choice to weigh against a blocked
/// kernel's gain: measured once per process for each conversion (blocks, shape, threads) a model may plan, the
/// fastest of three runs after a warm-up, as the step would run it.</summary>
internal static class ConversionCost
{
    private static readonly ConcurrentDictionary<(int From, int To, int Batch, int Channels, int Plane, int Threads), double> Measured = new();

    public static double Seconds(int fromBlock, int toBlock, int[] shape, int threads)
    {
        if (fromBlock == toBlock) return 0;
        return Measured.GetOrAdd((fromBlock, toBlock, shape[0], shape.Length > 1 ? shape[1] : 1, LayoutPlanner.Plane(shape), threads), Measure);
    }

    private static unsafe double Measure((int From, int To, int Batch, int Channels, int Plane, int Threads) key)
    {
        var conversion = new BlockConversion(key.From, key.To, key.Batch, key.Channels, key.Plane);
        var source = new float[ChannelBlocks.Length(key.Batch, key.Channels, key.Plane, key.From)];
        var destination = new float[ChannelBlocks.Length(key.Batch, key.Channels, key.Plane, key.To)];
        var best = double.PositiveInfinity;
        fixed (float* s = source, d = destination)
            for (var run = 0; run < 4; run++)
            {
                var start = Stopwatch.GetTimestamp();
                conversion.Run(s, d, key.Threads);
                if (run > 0) best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        return best;
    }
}
