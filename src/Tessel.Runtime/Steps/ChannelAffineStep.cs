using System.Numerics.Tensors;
using Tessel.Graph.Operators;

namespace Tessel.Runtime.Steps;

/// <summary>A per-channel affine on an NCHW tensor with the activation after it, in one pass per channel while the
/// channel is in L1: an inference BatchNormalization that no conv before it absorbs (DenseNet's pre-activation
/// BN-ReLU), which as plain ops cost two or three passes over memory. Channels are shared among the threads.
/// <para>With <c>pool</c> k > 1 it also averages each k x k tile of the result and writes only those means: DenseNet's
/// transitions, once their 2 x 2 average pool runs before the 1 x 1 conv, read the BN's input once and write a quarter of it.</para></summary>
public sealed class ChannelAffineStep : IStep
{
    private readonly Action run;

    public ChannelAffineStep(float[] input, float[] output, float[] scale, float[] shift, Activation activation, int batch, int channels, int plane, int threads,
        int pool = 1, int width = 0)
    {
        run = pool == 1
            // The shift goes in as the activation's bias: added in the same pass over the channel, read from L1.
            ? KernelRuntime.WorkPool.SplitPlanes(batch * channels, plane, threads, (row, at, length) =>
            {
                var y = output.AsSpan(at, length);
                TensorPrimitives.Multiply(input.AsSpan(at, length), scale[row % channels], y);
                activation.Apply(y, shift[row % channels]);
            })
            : Pooled(input, output, scale, shift, activation, batch * channels, channels, plane, width, pool, threads);
    }

    public void Run() => run();

    /// <summary>Each plane in bands of whole pool rows that fit a piece: the band's affine and activation into a scratch band,
    /// then its tiles averaged into the output.</summary>
    private static Action Pooled(float[] input, float[] output, float[] scale, float[] shift, Activation activation, int planes, int channels, int plane,
        int width, int pool, int threads)
    {
        if (width <= 0 || plane % width != 0 || plane / width % pool != 0 || width % pool != 0)
            throw new ArgumentException($"a {pool} x {pool} pool does not tile a plane of {plane} floats {width} wide");
        var height = plane / width;
        var bandRows = Math.Min(height, Math.Max(pool, KernelRuntime.WorkPool.Piece / width / pool * pool));
        var (outWidth, outPlane) = (width / pool, plane / (pool * pool));
        int[] kernel = [pool, pool];
        PoolGeometry Band(int rows) => PoolGeometry.Of(rows, width, rows / pool, outWidth, kernel, kernel, [0, 0, 0, 0], countPad: false);
        var (full, last) = (Band(bandRows), Band(height % bandRows == 0 ? bandRows : height % bandRows));
        return KernelRuntime.WorkPool.SplitRows(planes, plane, threads, (from, to) =>
        {
            var bandLength = bandRows * width;
            Span<float> band = bandLength <= 2 * KernelRuntime.WorkPool.Piece ? stackalloc float[bandLength] : new float[bandLength];
            Span<float> row = full.ScratchLength <= 4096 ? stackalloc float[full.ScratchLength] : new float[full.ScratchLength];
            for (var p = from; p < to; p++)
                for (var top = 0; top < height; top += bandRows)
                {
                    var geometry = top + bandRows <= height ? full : last;
                    var values = band[..(geometry.Height * width)];
                    TensorPrimitives.Multiply(input.AsSpan(p * plane + top * width, values.Length), scale[p % channels], values);
                    activation.Apply(values, shift[p % channels]);
                    PoolPlane.Run<SumReduction>(values, output.AsSpan(p * outPlane + top / pool * outWidth, geometry.OutHeight * outWidth), geometry, row);
                }
        });
    }
}
