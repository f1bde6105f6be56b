using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessel.Graph.Operators;

/// <summary>One NCHW plane's pool, separable since windows are rectangles: each output row's window of input rows is
/// reduced into a scratch row (one vector pass over contiguous rows), then that row over each output column's window,
/// 8 columns at a time. The scratch row carries the padding as identity values (-inf, or 0 for an average), so edge
/// columns take the vector path too: on 28- to 112-wide planes the edges, done column by column, were most of the time.
/// With a stride of 2 the taps' even and odd columns are two in-lane shuffles of the same two loads and the lanes are
/// put in order once per block, after the reduction (a max or a sum commutes with the permute); with AVX-512, 16
/// outputs at a time, each tap's columns one two-source permute. Two special forms skip the scratch row: 2 x 2 windows
/// with 8 to 15 outputs a row (<see cref="ColumnPairs"/>) and small even planes taken together (<see cref="SmallPlanes"/>).</summary>
internal static class PoolPlane
{
    /// <summary>The plane width from which the row pass reads a window's rows one after another
    /// (<see cref="ReduceRowsInTurn"/>) rather than side by side. VGG's first 2 x 2 pool (64 x 224 x 224) after its 3 x 3
    /// conv: side by side, with the rows ahead prefetched, 1.6-1.9 ms; in turn 0.66-0.75 (Zen 4, 1 thread; alike, 0.34-0.43,
    /// when run twice in a row). The same slowdown came after a 35 ms spin or sleep, not after a 48 MB read: a conv leaves
    /// the memory system idle for tens of milliseconds, and interleaved streams then came in at half a linear read's speed.
    /// On 112-wide planes (DenseNet's 3 x 3 stem pool, VGG's second pool) reading in turn cost more, after a conv as well:
    /// 0.15 ms against 0.10 and 0.11 against 0.083 (its extra pass over the scratch row).</summary>
    private const int InTurnFrom = 192;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(ReadOnlySpan<float> plane, Span<float> output, PoolGeometry g, Span<float> scratch) where T : struct, IPoolReduction
    {
        // A 2-wide window at a stride of 2 (a 2 x 2 pool) with fewer than 16 outputs a row, or no 512-bit vectors: the
        // column pairs straight from the input rows. Wider rows on AVX-512 take the separable pass, whose column pass
        // then does 16 outputs a permute pair, as fast.
        if (g.StrideWidth == 2 && g.KernelWidth == 2 && g.OutWidth >= 8 && Avx2.IsSupported && !(Avx512F.IsSupported && g.OutWidth >= 16))
        {
            ColumnPairs<T>(plane, output, g, scratch);
            return;
        }
        var w = g.Width;
        scratch[..g.PadLeft].Fill(T.Identity);
        scratch[(g.PadLeft + w)..g.ScratchLength].Fill(T.Identity);
        var row = scratch[g.PadLeft..(g.PadLeft + w)];
        for (var oy = 0; oy < g.OutHeight; oy++)
        {
            var (first, end) = (g.RowStart[oy], Math.Max(g.RowEnd[oy], g.RowStart[oy] + 1));
            if (w >= InTurnFrom) ReduceRowsInTurn<T>(plane[(first * w)..], end - first, w, row);
            else ReduceRows<T>(plane[(first * w)..], end - first, w, row);
            Columns<T>(scratch, output.Slice(oy * g.OutWidth, g.OutWidth), g, T.Averages ? g.RowScale[oy] : 1f);
        }
    }

    /// <summary>Whether <see cref="SmallPlanes{T}"/> runs this pool: 2 x 2 windows at a stride of 2, no padding, even planes
    /// 8 to 14 wide (4 to 7 outputs a row, too few for a vector of them).</summary>
    public static bool FitsSmallPlanes(PoolGeometry g, int[] kernel, int[] strides, int[] pads) =>
        kernel[0] == 2 && kernel[1] == 2 && strides[0] == 2 && strides[1] == 2 && pads.All(p => p == 0) &&
        g.Height % 2 == 0 && g.Height >= 4 && g.Width % 2 == 0 && g.Width is >= 8 and < 16 && Avx2.IsSupported;

    /// <summary>A 2 x 2 stride-2 pool over whole small planes at once (<see cref="FitsSmallPlanes"/>): with even planes, the
    /// input is a run of row pairs, each output row from one. Each pair's two rows are reduced into scratch, one row
    /// after another with no gap, in two overlapping vectors; the scratch is then one long row whose column pairs are the
    /// outputs, in order, 8 a block. Plane by plane, 512 planes of 14 x 14 took 0.08 ms (Zen 4): 7 outputs a row
    /// left most of each vector unused and every row paid the loop's overheads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SmallPlanes<T>(ReadOnlySpan<float> planes, Span<float> output, int width, Span<float> scratch) where T : struct, IPoolReduction
    {
        var pairs = planes.Length / (2 * width);
        var chunk = scratch.Length / width / 8 * 8;
        if (chunk == 0 || width < 8 || pairs * width / 2 < 8 || planes.Length != pairs * 2 * width || output.Length != pairs * width / 2)
            throw new ArgumentException("planes, output or scratch do not fit a 2 x 2 pool over small even planes");
        ref var x = ref MemoryMarshal.GetReference(planes);
        ref var z = ref MemoryMarshal.GetReference(scratch);
        ref var d = ref MemoryMarshal.GetReference(output);
        var quarter = Vector256.Create(T.Averages ? 0.25f : 1f);
        for (var next = 0; next < pairs; next += chunk)
        {
            // The last chunk ends at the last pair, overlapping the one before (same values): every chunk then has at
            // least 8 outputs for the overlapping last block below.
            var start = Math.Max(0, Math.Min(next, pairs - chunk));
            var count = Math.Min(chunk, pairs - start);
            for (var r = 0; r < count; r++)
            {
                ref var top = ref Unsafe.Add(ref x, (start + r) * 2 * width);
                // The row's last 8 columns as a second vector overlapping the first: the same values where they meet.
                Window256<T>(ref top, 2, (nuint)width).StoreUnsafe(ref z, (nuint)(r * width));
                Window256<T>(ref Unsafe.Add(ref top, width - 8), 2, (nuint)width).StoreUnsafe(ref z, (nuint)(r * width + width - 8));
            }
            var outputs = count * width / 2;
            ref var into = ref Unsafe.Add(ref d, start * width / 2);
            for (var o = 0; o < outputs; o += 8)
            {
                var at = Math.Min(o, outputs - 8);
                var (a, b) = (Vector256.LoadUnsafe(ref z, (nuint)(2 * at)), Vector256.LoadUnsafe(ref z, (nuint)(2 * at + 8)));
                var acc = AdjacentPairs<T>(a, b);
                if (T.Averages) acc *= quarter;
                acc.StoreUnsafe(ref into, (nuint)at);
            }
        }
    }

    /// <summary>A pool of windows 2 columns wide at a stride of 2 straight from the input rows, 8 outputs a block: the
    /// block's 16 columns reduced over the window's rows in registers, then their adjacent pairs combined
    /// (<see cref="AdjacentPairs"/>). Through the scratch row of the separable pass, 256 planes of 28 x 28 took 18 ns an
    /// output row, 9.4 this way (Zen 4): the row was stored and loaded again. A block that reaches past the row (a
    /// ceil-mode window) has its in-row columns reduced into scratch, identity values after them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnPairs<T>(ReadOnlySpan<float> plane, Span<float> output, PoolGeometry g, Span<float> scratch) where T : struct, IPoolReduction
    {
        const int lanes = 8, span = 2 * lanes;
        var (w, ow) = (g.Width, g.OutWidth);
        if (g.KernelWidth != 2 || g.StrideWidth != 2 || scratch.Length < span || output.Length < g.OutHeight * ow || plane.Length < g.Height * w || ow < lanes)
            throw new ArgumentException("not a 2-wide stride-2 pool, or plane, output or scratch too short for it");
        ref var x = ref MemoryMarshal.GetReference(plane);
        ref var d = ref MemoryMarshal.GetReference(output);
        ref var s = ref MemoryMarshal.GetArrayDataReference(g.ColumnScale);
        for (var oy = 0; oy < g.OutHeight; oy++)
        {
            var (first, count) = (g.RowStart[oy], Math.Max(g.RowEnd[oy] - g.RowStart[oy], 1));
            var top = first * w;
            var scale = Vector256.Create(T.Averages ? g.RowScale[oy] : 1f);
            // The rows two outputs ahead are asked for while this one is reduced, as the row pass does (a line of each
            // every other block; the hardware fetches the lines beside them).
            var ahead = (first + count + 2) * w;
            for (var block = 0; block < ow; block += lanes)
            {
                // A last partial block ends at the row's end, overlapping the one before (same values).
                var ox = Math.Min(block, ow - lanes);
                var column = 2 * ox - g.PadLeft;
                Vector256<float> a, b;
                if (column >= 0 && column + span <= w)
                {
                    if ((block & 15) == 0 && ahead + column + span + w <= plane.Length) Prefetch(ref Unsafe.Add(ref x, ahead + column), w);
                    (a, b) = (Window256<T>(ref Unsafe.Add(ref x, top + column), count, (nuint)w), Window256<T>(ref Unsafe.Add(ref x, top + column + lanes), count, (nuint)w));
                }
                else
                {
                    scratch[..span].Fill(T.Identity);
                    var (from, to) = (Math.Max(column, 0), Math.Min(column + span, w));
                    if (to > from) ReduceRows<T>(plane[(top + from)..], count, w, to - from, scratch[(from - column)..]);
                    (a, b) = (Vector256.Create<float>(scratch), Vector256.Create<float>(scratch[lanes..]));
                }
                var acc = AdjacentPairs<T>(a, b);
                if (T.Averages) acc *= Vector256.LoadUnsafe(ref s, (nuint)ox) * scale;
                acc.StoreUnsafe(ref Unsafe.Add(ref d, oy * ow + ox));
            }
        }
    }

    /// <summary>The 8 pairs of adjacent columns of <paramref name="a"/> (columns 0-7) and <paramref name="b"/> (8-15), each
    /// pair combined, in order: the even and the odd columns are in-lane shuffles (lanes a0 a2 b0 b2 | a4 a6 b4 b6), and
    /// one cross-lane permute puts the combined lanes in order. AVX2 only (the callers' paths require it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> AdjacentPairs<T>(Vector256<float> a, Vector256<float> b) where T : struct, IPoolReduction
    {
        var pairs = T.Combine(Avx.Shuffle(a, b, 0b10_00_10_00), Avx.Shuffle(a, b, 0b11_01_11_01));
        return Avx2.Permute4x64(pairs.AsDouble(), 0b11_01_10_00).AsSingle();
    }

    /// <summary><paramref name="into"/>[i] = the reduction of <paramref name="count"/> rows of <paramref name="length"/>
    /// floats from <paramref name="rows"/>, element by element, in one pass: the row pass of a separable pool (this one's,
    /// and <c>BlockedPoolStep</c>'s over rows of whole channel blocks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    internal static void ReduceRows<T>(ReadOnlySpan<float> rows, int count, int length, Span<float> into) where T : struct, IPoolReduction =>
        ReduceRows<T>(rows, count, length, length, into);

    /// <summary><see cref="ReduceRows{T}(ReadOnlySpan{float}, int, int, Span{float})"/> over rows <paramref name="stride"/>
    /// floats apart, of which the first <paramref name="length"/> are reduced.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    private static void ReduceRows<T>(ReadOnlySpan<float> rows, int count, int stride, int length, Span<float> into) where T : struct, IPoolReduction
    {
        if (rows.Length < (long)(count - 1) * stride + length || into.Length < length) throw new ArgumentException("rows or scratch too short for the window");
        ref var x = ref MemoryMarshal.GetReference(rows);
        ref var z = ref MemoryMarshal.GetReference(into);
        // The two rows after the next window's (a stride-2 window's rows two outputs ahead) are fetched while this one
        // is reduced: on planes larger than the cache that halved a pool's time.
        var ahead = (count + 2) * stride;
        var prefetchBefore = Sse.IsSupported ? rows.Length - ahead - stride : 0;
        var (i, step) = (0, (nuint)stride);
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= length; i += 16)
            {
                Window512<T>(ref Unsafe.Add(ref x, i), count, step).StoreUnsafe(ref z, (nuint)i);
                if (i < prefetchBefore) Prefetch(ref Unsafe.Add(ref x, ahead + i), stride);
            }
        for (; i + 8 <= length; i += 8)
        {
            Window256<T>(ref Unsafe.Add(ref x, i), count, step).StoreUnsafe(ref z, (nuint)i);
            if ((i & 15) == 0 && i < prefetchBefore) Prefetch(ref Unsafe.Add(ref x, ahead + i), stride);
        }
        if (i < length && length >= 8)
        {
            // The tail as one more vector ending at the row's end: it recomputes a few elements, to the same values.
            Window256<T>(ref Unsafe.Add(ref x, length - 8), count, step).StoreUnsafe(ref z, (nuint)(length - 8));
            return;
        }
        for (; i < length; i++)
        {
            var acc = Unsafe.Add(ref x, i);
            for (var r = 1; r < count; r++) acc = T.Combine(acc, Unsafe.Add(ref x, r * stride + i));
            Unsafe.Add(ref z, i) = acc;
        }
    }

    /// <summary>As <see cref="ReduceRows{T}(ReadOnlySpan{float}, int, int, Span{float})"/>, but each row of the window read
    /// whole, in order, into the running reduction, so that the input is one stream through memory. For wide planes
    /// (<see cref="InTurnFrom"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    private static void ReduceRowsInTurn<T>(ReadOnlySpan<float> rows, int count, int length, Span<float> into) where T : struct, IPoolReduction
    {
        if (rows.Length < (long)count * length || into.Length < length) throw new ArgumentException("rows or scratch too short for the window");
        for (var r = 0; r < count; r++) CombineInto<T>(rows.Slice(r * length, length), into[..length], r == 0);
    }

    /// <summary><paramref name="into"/>[i] = <paramref name="row"/>[i] (the window's first row), else the reduction of both.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CombineInto<T>(ReadOnlySpan<float> row, Span<float> into, bool first) where T : struct, IPoolReduction
    {
        ref var x = ref MemoryMarshal.GetReference(row);
        ref var z = ref MemoryMarshal.GetReference(into);
        var (i, length) = (0, row.Length);
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= length; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref x, (nuint)i);
                (first ? v : T.Combine(Vector512.LoadUnsafe(ref z, (nuint)i), v)).StoreUnsafe(ref z, (nuint)i);
            }
        for (; i + 8 <= length; i += 8)
        {
            var v = Vector256.LoadUnsafe(ref x, (nuint)i);
            (first ? v : T.Combine(Vector256.LoadUnsafe(ref z, (nuint)i), v)).StoreUnsafe(ref z, (nuint)i);
        }
        for (; i < length; i++) Unsafe.Add(ref z, i) = first ? Unsafe.Add(ref x, i) : T.Combine(Unsafe.Add(ref z, i), Unsafe.Add(ref x, i));
    }

    /// <summary>8 columns of <paramref name="count"/> rows <paramref name="step"/> apart reduced; two and three rows (2x2 and
    /// 3x3 windows) written out, where a loop over the rows cost more than its loads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Window256<T>(ref float at, int count, nuint step) where T : struct, IPoolReduction
    {
        var acc = Vector256.LoadUnsafe(ref at);
        if (count == 1) return acc;
        acc = T.Combine(acc, Vector256.LoadUnsafe(ref at, step));
        if (count == 2) return acc;
        acc = T.Combine(acc, Vector256.LoadUnsafe(ref at, 2 * step));
        for (var r = 3; r < count; r++) acc = T.Combine(acc, Vector256.LoadUnsafe(ref at, (nuint)r * step));
        return acc;
    }

    /// <summary><see cref="Window256"/> with 16 columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Window512<T>(ref float at, int count, nuint step) where T : struct, IPoolReduction
    {
        var acc = Vector512.LoadUnsafe(ref at);
        if (count == 1) return acc;
        acc = T.Combine(acc, Vector512.LoadUnsafe(ref at, step));
        if (count == 2) return acc;
        acc = T.Combine(acc, Vector512.LoadUnsafe(ref at, 2 * step));
        for (var r = 3; r < count; r++) acc = T.Combine(acc, Vector512.LoadUnsafe(ref at, (nuint)r * step));
        return acc;
    }

    /// <summary>Asks for the cache lines at <paramref name="at"/> and one row of <paramref name="length"/> further.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(ref float at, int length)
    {
        Sse.Prefetch0(Unsafe.AsPointer(ref at));
        Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref at, length)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    private static void Columns<T>(Span<float> scratch, Span<float> dst, PoolGeometry g, float rowScale) where T : struct, IPoolReduction
    {
        if (scratch.Length < g.ScratchLength || dst.Length < g.OutWidth) throw new ArgumentException("scratch or output row too short");
        ref var r = ref MemoryMarshal.GetReference(scratch);
        ref var d = ref MemoryMarshal.GetReference(dst);
        ref var s = ref MemoryMarshal.GetArrayDataReference(g.ColumnScale);
        var scale = Vector256.Create(rowScale);
        var (kw, stride) = (g.KernelWidth, g.StrideWidth);
        if (stride == 2 && Avx512F.IsSupported && g.OutWidth >= 16)
        {
            // 16 outputs per block; the last block ends at the row's end, overlapping the one before.
            var scale16 = Vector512.Create(rowScale);
            for (var block = 0; block < g.OutWidth; block += 16)
            {
                var ox = Math.Min(block, g.OutWidth - 16);
                var acc = StrideTwo512<T>(ref Unsafe.Add(ref r, 2 * ox), kw);
                if (T.Averages) acc *= Vector512.LoadUnsafe(ref s, (nuint)ox) * scale16;
                acc.StoreUnsafe(ref d, (nuint)ox);
            }
            return;
        }
        for (var block = 0; block < g.OutWidth; block += 8)
        {
            // A last partial block is computed ending at the row's end, overlapping the one before (same values).
            var ox = block + 8 > g.OutWidth && g.OutWidth >= 8 ? g.OutWidth - 8 : block;
            Vector256<float> acc;
            if (stride == 1)
            {
                acc = Vector256.LoadUnsafe(ref r, (nuint)ox);
                for (var k = 1; k < kw; k++) acc = T.Combine(acc, Vector256.LoadUnsafe(ref r, (nuint)(ox + k)));
            }
            else if (stride == 2) acc = StrideTwo<T>(ref Unsafe.Add(ref r, 2 * ox), kw);
            else acc = Strided<T>(ref r, ox, Math.Min(8, g.OutWidth - ox), stride, kw);
            if (T.Averages) acc *= Vector256.LoadUnsafe(ref s, (nuint)ox) * scale;
            if (ox + 8 <= g.OutWidth) acc.StoreUnsafe(ref d, (nuint)ox);
            else
                for (var lane = 0; ox + lane < g.OutWidth; lane++) Unsafe.Add(ref d, ox + lane) = acc.GetElement(lane);
        }
    }

    /// <summary>Up to 8 outputs from column <paramref name="ox"/> at a stride above 2, column by column (rare: no zoo model
    /// has one).</summary>
    private static Vector256<float> Strided<T>(ref float row, int ox, int count, int stride, int kw) where T : struct, IPoolReduction
    {
        Span<float> lanes = stackalloc float[8];
        for (var lane = 0; lane < count; lane++)
        {
            var (start, value) = (stride * (ox + lane), T.Identity);
            for (var k = 0; k < kw; k++) value = T.Combine(value, Unsafe.Add(ref row, start + k));
            lanes[lane] = value;
        }
        return Vector256.Create<float>(lanes);
    }

    /// <summary>16 outputs of a stride-2 window of <paramref name="kw"/> taps from <paramref name="at"/>: per pair of
    /// taps the 32 columns from the even tap are loaded once, and one two-source permute each takes the even tap's
    /// columns (their even elements) and the odd tap's, already in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> StrideTwo512<T>(ref float at, int kw) where T : struct, IPoolReduction
    {
        // Constants in the method, not static fields: a static read in the loop cost as much as the pass.
        var evenLanes = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var oddLanes = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
        var (a, b) = (Vector512.LoadUnsafe(ref at), Vector512.LoadUnsafe(ref at, 16));
        var acc = Avx512F.PermuteVar16x32x2(a, evenLanes, b);
        if (kw > 1) acc = T.Combine(acc, Avx512F.PermuteVar16x32x2(a, oddLanes, b));
        for (var k = 2; k < kw; k += 2)
        {
            (a, b) = (Vector512.LoadUnsafe(ref at, (nuint)k), Vector512.LoadUnsafe(ref at, (nuint)(k + 16)));
            acc = T.Combine(acc, Avx512F.PermuteVar16x32x2(a, evenLanes, b));
            if (k + 1 < kw) acc = T.Combine(acc, Avx512F.PermuteVar16x32x2(a, oddLanes, b));
        }
        return acc;
    }

    /// <summary>8 outputs of a stride-2 window of <paramref name="kw"/> taps from <paramref name="at"/>: per pair of taps,
    /// the 16 columns from the even tap are loaded once; the even tap's columns are their even elements and the odd
    /// tap's the odd ones, each an in-lane shuffle (lanes a0 a2 b0 b2 | a4 a6 b4 b6); one cross-lane permute at the end
    /// puts them in order.</summary>
    private static Vector256<float> StrideTwo<T>(ref float at, int kw) where T : struct, IPoolReduction
    {
        var acc = Vector256.Create(T.Identity);
        for (var k = 0; k < kw; k += 2)
        {
            var (a, b) = (Vector256.LoadUnsafe(ref at, (nuint)k), Vector256.LoadUnsafe(ref at, (nuint)(k + 8)));
            acc = T.Combine(acc, Avx.IsSupported ? Avx.Shuffle(a, b, 0b10_00_10_00) : Vector256.Create(a[0], a[2], b[0], b[2], a[4], a[6], b[4], b[6]));
            if (k + 1 < kw)
                acc = T.Combine(acc, Avx.IsSupported ? Avx.Shuffle(a, b, 0b11_01_11_01) : Vector256.Create(a[1], a[3], b[1], b[3], a[5], a[7], b[5], b[7]));
        }
        return Avx2.IsSupported
            ? Avx2.Permute4x64(acc.AsDouble(), 0b11_01_10_00).AsSingle()
            : Vector256.Create(acc[0], acc[1], acc[4], acc[5], acc[2], acc[3], acc[6], acc[7]);
    }
}
