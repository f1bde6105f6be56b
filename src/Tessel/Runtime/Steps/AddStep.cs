namespace Tessel.Runtime.Steps;

/// <summary>Element-wise sum of two tensors of the same shape, with an optional fused activation, in chunks
/// small enough that the activation pass reads the sum from L1; a large tensor is split into one contiguous
/// share per thread.</summary>
public sealed class AddStep(float[] a, float[] b, float[] output, Activation activation, int threads) : IStep
{
    private const int Chunk = 4096;

    /// <summary>Below this many elements a second thread costs more to wake than it saves.</summary>
    private const int ParallelFrom = 16 * Chunk;

    private readonly int shares = output.Length >= ParallelFrom ? Math.Max(1, threads) : 1;

    private readonly ParallelOptions options = new() { MaxDegreeOfParallelism = Math.Max(1, threads) };
    private Action<int>? share;

    public void Run()
    {
        if (shares == 1) { Range(0, output.Length); return; }
        Parallel.For(0, shares, options, share ??= Share);
    }

    /// <summary>Share <paramref name="s"/> of <see cref="shares"/>: a contiguous run of whole chunks.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Share(int s)
    {
        var chunks = (output.Length + Chunk - 1) / Chunk;
        Range(s * chunks / shares * Chunk, Math.Min(output.Length, (s + 1) * chunks / shares * Chunk));
    }

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
