using System.Numerics.Tensors;

namespace Tessel.Runtime.Steps;

/// <summary>A per-channel affine on an NCHW tensor with the activation after it, in one pass per channel while the
/// channel is in L1: an inference BatchNormalization that no conv before it absorbs (DenseNet's pre-activation
/// BN-ReLU), which as plain ops cost two or three passes over memory. Channels are shared among the threads.</summary>
public sealed class ChannelAffineStep : IStep
{
    private readonly float[] input, output, scale, shift;
    private readonly Activation activation;
    private readonly int channels, plane;
    private readonly Action run;

    public ChannelAffineStep(float[] input, float[] output, float[] scale, float[] shift, Activation activation, int batch, int channels, int plane, int threads)
    {
        (this.input, this.output, this.scale, this.shift, this.activation, this.channels, this.plane) = (input, output, scale, shift, activation, channels, plane);
        run = KernelRuntime.WorkPool.SplitRows(batch * channels, plane, threads, Rows);
    }

    public void Run() => run();

    private void Rows(int from, int to)
    {
        for (var row = from; row < to; row++)
        {
            var c = row % channels;
            // The shift goes in as the activation's bias: added in the same pass over the channel (read from L1); a
            // long plane in pieces, which TensorPrimitives writes through the cache (see WorkPool.Piece).
            for (var at = 0; at < plane; at += KernelRuntime.WorkPool.Piece)
            {
                var length = Math.Min(KernelRuntime.WorkPool.Piece, plane - at);
                var y = output.AsSpan(row * plane + at, length);
                TensorPrimitives.Multiply(input.AsSpan(row * plane + at, length), scale[c], y);
                activation.Apply(y, shift[c]);
            }
        }
    }
}
