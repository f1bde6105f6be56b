using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tessel.KernelRuntime;

/// <summary>Pinned float arrays whose first element lies on a cache line (64 bytes): the runtime's activation
/// buffers, which plain operators use as arrays and kernels by pointer. A 512-bit load from an array that starts
/// elsewhere splits a cache line on every access: MobileNetV2's kernels ran 40% slower on 16-byte-aligned buffers
/// than on the measurer's aligned ones (6.96 against 4.97 ms summed, warm, in the model). The kernels' own packed
/// weights and scratch stay plain pinned arrays: aligning them too made MobileNetV2 about 10% slower end to end
/// (natively allocated or as an aligned pointer into a longer pinned array alike; five runs each, side by side).
/// .NET has no aligned managed allocation, so a misaligned array is followed by a spacer array sized to move
/// the next allocation onto a boundary, and allocated again.</summary>
public static unsafe class AlignedArrays
{
    public const int Alignment = 64;

    private const int Attempts = 32;

    /// <summary>The later attempts' spacers are at most this long: a spacer as long as a 12 MB array leaves no room
    /// after it in the heap's 32 MB region, and the retry starts a new region at the same misaligned offset.</summary>
    private const int SpacerFloats = 1 << 16;

    /// <summary>A zeroed pinned array of <paramref name="length"/> floats on a cache line (best effort: after
    /// <see cref="Attempts"/> misses it returns an unaligned one, which is only slower).</summary>
    public static float[] Allocate(int length)
    {
        lock (PinnedHeap.Gate) return AllocateAligned(length);
    }

    private static float[] AllocateAligned(int length)
    {
        var array = GC.AllocateArray<float>(length, pinned: true);
        // Held until the end so that the heap cannot place the next try in their space.
        var spacers = new List<float[]>();
        for (var attempt = 0; attempt < Attempts && Offset(array) != 0; attempt++)
        {
            // The pinned heap places objects one after the other: a float[k] takes 24 + 4k bytes rounded up to 8
            // (header, method table, length) and its data starts 24 bytes in. A spacer of about the same length
            // (so that it goes where an array of this size goes) lands after the miss; its length is picked so that
            // the next array starts on the boundary.
            var spacerData = Address(array) + Bytes(length) + 24;
            var spacer = attempt < Attempts / 2 ? length : Math.Min(length, SpacerFloats);
            var extra = Enumerable.Range(0, 16).First(j => (spacerData + Bytes(spacer + j) + 24) % Alignment == 0 || j == 15);
            spacers.Add(array);
            spacers.Add(GC.AllocateArray<float>(spacer + extra, pinned: true));
            array = GC.AllocateArray<float>(length, pinned: true);
        }
        GC.KeepAlive(spacers);
        return array;
    }

    /// <summary>Bytes past the last cache-line boundary at which the array's first element lies.</summary>
    public static int Offset(float[] array) => (int)(Address(array) % Alignment);

    private static long Bytes(int floats) => (4L * floats + 7) / 8 * 8;

    private static long Address(float[] array) => (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
}
