using System.Runtime.CompilerServices;

namespace Tessel.KernelRuntime;

/// <summary>The arrays an emitted kernel keeps for its lifetime (packed weights, scratch, bias) and reads by
/// pointer: pinned, so the pointer stays valid, and held by the kernel in <c>array</c>, so they live as long as it.</summary>
public static unsafe class PinnedArrays
{
    /// <summary>A zeroed pinned array of <paramref name="length"/> floats (at least one), and its first element.</summary>
    public static float* Allocate(int length, out float[] array)
    {
        lock (PinnedHeap.Gate) array = GC.AllocateArray<float>(Math.Max(1, length), pinned: true);
        return (float*)Unsafe.AsPointer(ref array[0]);
    }

    /// <summary>A pinned copy of <paramref name="values"/>, and its first element.</summary>
    public static float* Copy(ReadOnlySpan<float> values, out float[] array)
    {
        var first = Allocate(values.Length, out array);
        values.CopyTo(array);
        return first;
    }
}
