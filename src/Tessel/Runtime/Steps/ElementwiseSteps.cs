namespace Tessel.Runtime.Steps;

/// <summary>x -> clamp(x, min, max): ReLU and Clip that were not fused into a kernel.</summary>
public sealed class ClampStep(float[] input, float[] output, Activation activation) : IStep
{
    public string Kind => "Clamp";

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Run()
    {
        input.CopyTo(output, 0);
        activation.Apply(output, 0);
    }
}

/// <summary>Element-wise sum of two tensors of the same shape, with an optional fused activation.</summary>
public sealed class AddStep(float[] a, float[] b, float[] output, Activation activation) : IStep
{
    public string Kind => "Add";

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Run()
    {
        System.Numerics.Tensors.TensorPrimitives.Add(a, b, output);
        if (!activation.IsNone) activation.Apply(output, 0);
    }
}

/// <summary>Copies a tensor (Flatten, Dropout and Identity at inference change no data in NCHW).</summary>
public sealed class CopyStep(float[] input, float[] output) : IStep
{
    public string Kind => "Copy";

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Run() => input.CopyTo(output, 0);
}

/// <summary>Inference batch normalisation not folded into a conv: y = x * scale[c] + shift[c].</summary>
public sealed class ScaleShiftStep(float[] input, float[] output, float[] scale, float[] shift, int batch, int channels) : IStep
{
    public string Kind => "BatchNormalization";

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Run()
    {
        var plane = input.Length / (batch * channels);
        for (var n = 0; n < batch; n++)
        for (var c = 0; c < channels; c++)
        {
            var at = (n * channels + c) * plane;
            var destination = output.AsSpan(at, plane);
            System.Numerics.Tensors.TensorPrimitives.Multiply(input.AsSpan(at, plane), scale[c], destination);
            System.Numerics.Tensors.TensorPrimitives.Add(destination, shift[c], destination);
        }
    }
}

/// <summary>Concatenation along channels (axis 1) of NCHW tensors.</summary>
public sealed class ConcatStep(float[][] inputs, int[] channels, float[] output, int batch, int plane) : IStep
{
    public string Kind => "Concat";

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Run()
    {
        var total = channels.Sum();
        for (var n = 0; n < batch; n++)
        {
            var at = n * total * plane;
            for (var i = 0; i < inputs.Length; i++)
            {
                var length = channels[i] * plane;
                Array.Copy(inputs[i], n * length, output, at, length);
                at += length;
            }
        }
    }
}
