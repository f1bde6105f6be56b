using System.Numerics.Tensors;

namespace Tessel.Runtime.Steps;

/// <summary>A per-channel affine on an NCHW tensor with the activation after it, in one pass per channel while the
/// channel is in L1: an inference BatchNormalization that no conv before it absorbs (DenseNet's pre-activation
/// BN-ReLU), which as plain ops cost two or three passes over memory. Channels are shared among the threads.</summary>
public sealed class ChannelAffineStep : IStep
{
    private readonly Action run;

    public ChannelAffineStep(float[] input, float[] output, float[] scale, float[] shift, Activation activation, int batch, int channels, int plane, int threads)
    {
        // The shift goes in as the activation's bias: added in the same pass over the channel, read from L1.
        run = KernelRuntime.WorkPool.SplitPlanes(batch * channels, plane, threads, (row, at, length) =>
        {
            var y = output.AsSpan(at, length);
            TensorPrimitives.Multiply(input.AsSpan(at, length), scale[row % channels], y);
            activation.Apply(y, shift[row % channels]);
        });
    }

    public void Run() => run();
}
