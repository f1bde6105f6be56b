namespace Tessel.Runtime.Steps;

/// <summary>Element-wise sum of two tensors of the same shape, with an optional fused activation, in chunks
/// small enough that the activation pass reads the sum from L1; a large tensor is split into one contiguous
/// share per thread.</summary>
public sealed class AddStep : IStep
{
    private const int Chunk = 4096;

    private readonly float[] a, b, output;
    private readonly Activation activation;
    private readonly Action run;

    public AddStep(float[] a, float[] b, float[] output, Activation activation, int threads)
    {
        (this.a, this.b, this.output, this.activation) = (a, b, output, activation);
        run = KernelRuntime.WorkPool.Split(output.Length, threads, Range);
    }

    public void Run() => run();

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Range(int from, int to)
    {
        for (var at = from; at < to; at += Chunk)
        {
            var length = Math.Min(Chunk, to - at);
            var sum = output.AsSpan(at, length);
            System.Numerics.Tensors.TensorPrimitives.Add(a.AsSpan(at, length), b.AsSpan(at, length), sum);
            if (!activation.IsNone) activation.Apply(sum, 0);
        }
    }
}
