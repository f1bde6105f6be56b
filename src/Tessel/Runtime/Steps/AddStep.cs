namespace Tessel.Runtime.Steps;

/// <summary>Element-wise sum of two tensors of the same shape, with an optional fused activation, in chunks
/// small enough that the activation pass reads the sum from L1.</summary>
public sealed class AddStep(float[] a, float[] b, float[] output, Activation activation) : IStep
{
    private const int Chunk = 4096;

    public string Kind => "Add";

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Run()
    {
        for (var at = 0; at < output.Length; at += Chunk)
        {
            var length = Math.Min(Chunk, output.Length - at);
            var sum = output.AsSpan(at, length);
            System.Numerics.Tensors.TensorPrimitives.Add(a.AsSpan(at, length), b.AsSpan(at, length), sum);
            if (!activation.IsNone) activation.Apply(sum, 0);
        }
    }
}
