using Tessel.Kernels;


namespace Tessel.Runtime.Steps;

/// <summary>A tuned kernel (conv2d, depthwise or dense) followed by the epilogue its template did not fuse
/// (dense layers; sigmoid and swish): per-channel bias (the conv's own, with a following BatchNormalization
/// folded in, or a dense layer's) and an activation.
/// Channels are dim 1 of a conv's NCHW output and the last dim of a dense output (plane 1). With
/// <paramref name="outputOffset"/>, the kernel writes from there on (its part of a concat's buffer); the binder gives one
/// only to a step with no epilogue of its own.</summary>
public sealed class KernelStep(IKernel kernel, float[] input, float[] output, float[]? bias, Activation activation, int batch, int channels, int outputOffset = 0)
    : IStep
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public unsafe void Run()
    {
        fixed (float* x = input, y = output) kernel.Run(x, y + outputOffset);
        if (activation.IsNone && bias is null) return;
        var plane = output.Length / (batch * channels);
        if (plane == 1)
        {
            for (var n = 0; n < batch; n++)
            {
                var row = output.AsSpan(n * channels, channels);
                if (bias is not null) System.Numerics.Tensors.TensorPrimitives.Add(row, bias, row);
                if (!activation.IsNone) activation.Apply(row, 0);
            }
            return;
        }
        for (var n = 0; n < batch; n++)
        for (var c = 0; c < channels; c++)
            activation.Apply(output.AsSpan((n * channels + c) * plane, plane), bias is null ? 0 : bias[c]);
    }
}
