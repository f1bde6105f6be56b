namespace Tessel.Kernels;

/// <summary>What every generated kernel class implements. <see cref="Prepare"/> runs once per kernel
/// (weight repacking into the config's layout, scratch buffers) and is not timed; <see cref="Run"/>
/// is the timed call.</summary>
public unsafe interface IKernel
{
    /// <param name="weight">The weight in the operator's own layout (e.g. OIHW).</param>
    /// <param name="threads">Most threads one <see cref="Run"/> may use.</param>
    void Prepare(ReadOnlySpan<float> weight, int threads);

    void Run(float* data, float* output);

    /// <summary>The weight as <see cref="Run"/> reads it, packed by <see cref="Prepare"/>: what an artifact stores so that
    /// loading skips the packing.</summary>
    ReadOnlySpan<float> Packed => throw new NotSupportedException($"{GetType().Name} has no packed weight");

    /// <summary>Prepares the kernel from a weight <see cref="Packed"/> by a kernel of the same class, which it reads in
    /// place (<paramref name="packed"/> must outlive the kernel: an artifact's mapped weights file); it needs vector
    /// hardware (there is no weight for the scalar fallback).</summary>
    void PreparePacked(float* packed, int length, int threads) => throw new NotSupportedException($"{GetType().Name} cannot take a packed weight");

    /// <summary>The per-output-channel bias of a kernel emitted with a fused epilogue
    /// (Tessel's FusedEpilogue); call after <see cref="Prepare"/>.</summary>
    void SetBias(ReadOnlySpan<float> bias) => throw new NotSupportedException($"{GetType().Name} has no fused epilogue");

    /// <summary>The channel-blocked layouts <see cref="Run"/>'s tensors are in (<see cref="Layouts.ChannelBlocks"/>);
    /// null where they are in the operator's own layout (NCHW for convs).</summary>
    Layouts.KernelLayout? Layout => null;
}
