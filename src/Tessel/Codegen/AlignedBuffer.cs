using System.Runtime.InteropServices;

namespace Tessel.Codegen;

/// <summary>Zeroed native memory on a cache line, freed when its owner (a generated kernel) is collected: the
/// kernels' packed weights and scratch. Kernels read them by pointer only, so they need no managed array, and
/// native memory needs no spacer allocations (<see cref="AlignedArrays"/>) that would leave garbage on the
/// pinned heap for every kernel a tuner builds.</summary>
public sealed unsafe class AlignedBuffer
{
    private readonly long bytes;

    public AlignedBuffer(long floats)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(floats);
        bytes = Math.Max(1, floats) * sizeof(float);
        Pointer = (float*)NativeMemory.AlignedAlloc((nuint)bytes, AlignedArrays.Alignment);
        NativeMemory.Clear(Pointer, (nuint)bytes);
        GC.AddMemoryPressure(bytes);
    }

    public float* Pointer { get; }

    ~AlignedBuffer()
    {
        NativeMemory.AlignedFree(Pointer);
        GC.RemoveMemoryPressure(bytes);
    }
}
