using Tessel.Codegen;

namespace Tessel.Runtime.Steps;

/// <summary>A tuned kernel (conv2d, depthwise or dense) followed by its epilogue: per-channel bias (the
/// conv's own, with a following BatchNormalization folded in) and a fused ReLU or Clip.</summary>
public sealed class KernelStep(string kind, IKernel kernel, float[] input, float[] output, float[] bias, Activation activation, int batch, int channels) : IStep
{
    public string Kind => kind;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public unsafe void Run()
    {
        fixed (float* x = input, y = output) kernel.Run(x, y);
        if (activation.IsNone && bias.Length == 0) return;
        var plane = output.Length / (batch * channels);
        for (var n = 0; n < batch; n++)
        for (var c = 0; c < channels; c++)
            activation.Apply(output.AsSpan((n * channels + c) * plane, plane), bias.Length == 0 ? 0 : bias[c]);
    }
}
