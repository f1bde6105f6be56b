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
            var y = output.AsSpan(row * plane, plane);
            // The shift goes in as the activation's bias: added in the same pass over the channel (read from L1).
            TensorPrimitives.Multiply(input.AsSpan(row * plane, plane), scale[c], y);
            activation.Apply(y, shift[c]);
        }
    }
}
