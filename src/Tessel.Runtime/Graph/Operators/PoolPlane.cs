using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessel.Graph.Operators;

/// <summary>A max or an average, as a struct so each pool loop (NCHW here, blocked in <c>BlockedPoolStep</c>) is compiled
/// for it with no per-tap branch.</summary>
internal interface IPoolReduction
{
    static abstract bool Averages { get; }
    static abstract float Identity { get; }
    static abstract float Combine(float acc, float tap);
    static abstract Vector256<float> Combine(Vector256<float> acc, Vector256<float> tap);
}

internal readonly struct MaxReduction : IPoolReduction
{
    public static bool Averages => false;
    public static float Identity => float.NegativeInfinity;

    // MaxNative is one maxss, where a compare and select was a branch that post-ReLU data (half zeros, at random)
    // mispredicted every other tap.
    public static float Combine(float acc, float tap) => float.MaxNative(acc, tap);
    public static Vector256<float> Combine(Vector256<float> acc, Vector256<float> tap) => Vector256.MaxNative(acc, tap);
}

internal readonly struct SumReduction : IPoolReduction
{
    public static bool Averages => true;
    public static float Identity => 0f;
    public static float Combine(float acc, float tap) => acc + tap;
    public static Vector256<float> Combine(Vector256<float> acc, Vector256<float> tap) => acc + tap;
}

/// <summary>Where each output row's and column's window lies in one NCHW plane, and what an average divides by
/// along each axis; <see cref="VectorFrom"/>..<see cref="VectorTo"/> are the output columns whose whole window is
/// inside the row and whose 8-column block's loads are too (the column pass's vector range).</summary>
internal sealed record PoolGeometry(int Height, int Width, int OutHeight, int OutWidth, int KernelWidth, int StrideWidth, int PadLeft,
    int[] RowStart, int[] RowEnd, float[] RowScale, int[] ColumnStart, int[] ColumnEnd, float[] ColumnScale, int VectorFrom, int VectorTo)
{
    /// <summary>For each output position along one axis: the input range its window covers, and 1 / the count an
    /// average divides by along this axis (padding included when <paramref name="countPad"/>).</summary>
    public static (int[] Start, int[] End, float[] Scale) Spans(int outputs, int stride, int padBefore, int kernel, int size, int padAfter, bool countPad)
    {
        var (start, end, scale) = (new int[outputs], new int[outputs], new float[outputs]);
        for (var o = 0; o < outputs; o++)
        {
            var first = o * stride - padBefore;
            var last = Math.Min(first + kernel, size + padAfter);
            (start[o], end[o]) = (Math.Max(first, 0), Math.Min(last, size));
            scale[o] = 1f / Math.Max(1, countPad ? last - first : end[o] - start[o]);
        }
        return (start, end, scale);
    }

    public static PoolGeometry Of(int h, int w, int oh, int ow, int[] kernel, int[] strides, int[] pads, bool countPad)
    {
        var (colStart, colEnd, colScale) = Spans(ow, strides[1], pads[1], kernel[1], w, pads[3], countPad);
        var (rowStart, rowEnd, rowScale) = Spans(oh, strides[0], pads[0], kernel[0], h, pads[2], countPad);
        var (from, to) = (0, 0);
        if (strides[1] is 1 or 2)
        {
            // The first column whose window starts inside the row; a block of 8 from ox reads up to column
            // stride * (ox + 8) - 1 + kernel - 1 - pad (stride 2 loads 16 columns per tap and keeps the even ones).
            from = (pads[1] + strides[1] - 1) / strides[1];
            to = from;
            while (to + 8 <= ow && strides[1] * (to + 8) - 1 + kernel[1] - 1 - pads[1] < w) to += 8;
        }
        return new PoolGeometry(h, w, oh, ow, kernel[1], strides[1], pads[1], rowStart, rowEnd, rowScale, colStart, colEnd, colScale, from, to);
    }
}

/// <summary>One NCHW plane's pool, separable since windows are rectangles: each output row's window of input rows is
/// reduced into one row (vector ops over contiguous rows), then that row over each output column's window. With a
/// stride of 1 or 2 the column pass is vector code too: per tap of the window, 8 outputs' inputs are one load (stride 1)
/// or the even lanes of two (stride 2); only columns the padding or the row's end cuts short loop over their taps.
/// Written out rather than as a chain of library calls: DenseNet's 56-wide planes made a call per row pass cost more
/// than its work (8-16x ONNX Runtime's time for the same node).</summary>
internal static class PoolPlane
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(ReadOnlySpan<float> plane, Span<float> output, PoolGeometry g, Span<float> row) where T : struct, IPoolReduction
    {
        var w = g.Width;
        for (var oy = 0; oy < g.OutHeight; oy++)
        {
            var (first, end) = (g.RowStart[oy], Math.Max(g.RowEnd[oy], g.RowStart[oy] + 1));
            ReadOnlySpan<float> reduced;
            if (end - first == 1) reduced = plane.Slice(first * w, w);
            else
            {
                Combine<T>(plane.Slice(first * w, w), plane.Slice((first + 1) * w, w), row);
                for (var iy = first + 2; iy < end; iy++) Combine<T>(row, plane.Slice(iy * w, w), row);
                reduced = row;
            }
            Columns<T>(reduced, output.Slice(oy * g.OutWidth, g.OutWidth), g, T.Averages ? g.RowScale[oy] : 1f);
        }
    }

    /// <summary><paramref name="into"/>[i] = combine(<paramref name="a"/>[i], <paramref name="b"/>[i]): one row pass of a
    /// separable pool (this one's, and <c>BlockedPoolStep</c>'s over rows of whole channel blocks).</summary>
    internal static void Combine<T>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> into) where T : struct, IPoolReduction
    {
        ref var x = ref MemoryMarshal.GetReference(a);
        ref var y = ref MemoryMarshal.GetReference(b);
        ref var z = ref MemoryMarshal.GetReference(into);
        var i = 0;
        for (; i + 8 <= a.Length; i += 8)
            T.Combine(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref y, (nuint)i)).StoreUnsafe(ref z, (nuint)i);
        for (; i < a.Length; i++) Unsafe.Add(ref z, i) = T.Combine(Unsafe.Add(ref x, i), Unsafe.Add(ref y, i));
    }

    private static void Columns<T>(ReadOnlySpan<float> row, Span<float> dst, PoolGeometry g, float rowScale) where T : struct, IPoolReduction
    {
        for (var ox = 0; ox < g.VectorFrom && ox < dst.Length; ox++) dst[ox] = Window<T>(row, g, ox, rowScale);
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var d = ref MemoryMarshal.GetReference(dst);
        ref var s = ref MemoryMarshal.GetArrayDataReference(g.ColumnScale);
        var scale = Vector256.Create(rowScale);
        for (var ox = g.VectorFrom; ox < g.VectorTo; ox += 8)
        {
            var at = g.StrideWidth * ox - g.PadLeft;
            var acc = Vector256.Create(T.Identity);
            for (var k = 0; k < g.KernelWidth; k++)
                acc = T.Combine(acc, g.StrideWidth == 1 ? Vector256.LoadUnsafe(ref r, (nuint)(at + k)) : Evens(ref Unsafe.Add(ref r, at + k)));
            if (T.Averages) acc *= Vector256.LoadUnsafe(ref s, (nuint)ox) * scale;
            acc.StoreUnsafe(ref d, (nuint)ox);
        }
        for (var ox = Math.Max(g.VectorTo, g.VectorFrom); ox < dst.Length; ox++) dst[ox] = Window<T>(row, g, ox, rowScale);
    }

    private static float Window<T>(ReadOnlySpan<float> row, PoolGeometry g, int ox, float rowScale) where T : struct, IPoolReduction
    {
        var acc = T.Identity;
        for (var ix = g.ColumnStart[ox]; ix < g.ColumnEnd[ox]; ix++) acc = T.Combine(acc, row[ix]);
        return T.Averages ? acc * g.ColumnScale[ox] * rowScale : acc;
    }

    /// <summary>Columns 0, 2, .. 14 from <paramref name="at"/>: two loads, one shuffle within 128-bit lanes and one
    /// cross-lane permute.</summary>
    private static Vector256<float> Evens(ref float at)
    {
        var (a, b) = (Vector256.LoadUnsafe(ref at), Vector256.LoadUnsafe(ref at, 8));
        if (Avx2.IsSupported)
            return Avx2.Permute4x64(Avx.Shuffle(a, b, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();
        return Vector256.Create(a[0], a[2], a[4], a[6], b[0], b[2], b[4], b[6]);
    }
}
