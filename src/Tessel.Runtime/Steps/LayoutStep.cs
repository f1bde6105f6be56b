using Tessel.Layouts;

namespace Tessel.Runtime.Steps;

/// <summary>Converts a tensor between channel blockings (<see cref="ChannelBlocks"/>) where the step that writes it
/// and a step that reads it want different layouts: a blocked conv after a plain op, a plain op after a blocked
/// conv, or two blocked convs of different blocks. With <paramref name="destinationOffset"/>, it writes from there on
/// (its part of a concat's buffer).</summary>
public sealed class LayoutStep(float[] source, int fromBlock, float[] destination, int toBlock, int batch, int channels, int plane, int threads,
    int destinationOffset = 0) : IStep
{
    private readonly BlockConversion conversion = new(fromBlock, toBlock, batch, channels, plane);

    public unsafe void Run()
    {
        fixed (float* s = source, d = destination) conversion.Run(s, d + destinationOffset, threads);
    }
}
