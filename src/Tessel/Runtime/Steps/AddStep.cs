namespace Tessel.Runtime.Steps;

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
