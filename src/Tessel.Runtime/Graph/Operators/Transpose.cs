using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessel.Graph.Operators;

/// <summary>Transpose by <c>perm</c> (default: reverse the dims). Input dims that stay adjacent and in order are merged
/// first, which leaves most real transposes (NCHW to NHWC and back, attention's heads) a copy of contiguous runs or a 2-D
/// transpose repeated over outer dims. The 2-D one goes in 8 x 8 tiles, each 8 row loads, an in-register transpose and
/// 8 row stores: a gather of every element through an index map took 3.5-3.9x ONNX Runtime's time for BlazeFace's
/// NHWC transposes.</summary>
public sealed class Transpose : IOperator
{
    public static readonly Transpose Instance = new();

    private static int[] Perm(OpContext c) => c.Node.Ints("perm", Enumerable.Range(0, c.Shape(0).Length).Reverse().ToArray());

    public int[][] InferShapes(OpContext c) => [Perm(c).Select(p => c.Shape(0)[p]).ToArray()];

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var (x, y) = (inputs[0], outputs[0]);
        var (dims, strides) = Collapse(c.Shape(0), Perm(c));
        var size = dims.Aggregate(1, (a, b) => a * b);
        if (size == 0) return () => { };
        var k = dims.Length;
        if (strides[k - 1] == 1)
        {
            // Contiguous runs of the last output dim: one copy each.
            var run = dims[k - 1];
            var (ats, tos) = Outer(dims, strides, k - 1, -1);
            return () =>
            {
                for (var i = 0; i < ats.Length; i++) x.AsSpan(ats[i], run).CopyTo(y.AsSpan(tos[i], run));
            };
        }
        // The output dim q that walks the input's last (contiguous) dim: each pair of indices of q and the last output dim
        // is a 2-D transpose of a (dims[q] x dims[k-1]) block.
        var q = Array.IndexOf(strides, 1);
        var outStrideQ = dims.Skip(q + 1).Aggregate(1, (a, b) => a * b);
        var (rows, columns, columnStride) = (dims[q], dims[k - 1], strides[k - 1]);
        var (blockAts, blockTos) = Outer(dims, strides, k - 1, q);
        return () =>
        {
            for (var i = 0; i < blockAts.Length; i++) Block(x, blockAts[i], y, blockTos[i], rows, columns, columnStride, outStrideQ);
        };
    }

    /// <summary>The shape in output order with each dim's input stride, after merging every run of output dims that are
    /// adjacent and in order in the input (and dropping dims of 1).</summary>
    internal static (int[] Dims, int[] Strides) Collapse(int[] input, int[] perm)
    {
        var inStrides = Shapes.Strides(input);
        var (dims, strides) = (new List<int>(), new List<int>());
        foreach (var p in perm)
        {
            if (input[p] == 1) continue;
            // Merged into the previous output dim where that one is the input dim just before this one.
            if (dims.Count > 0 && strides[^1] == inStrides[p] * input[p])
            {
                dims[^1] *= input[p];
                strides[^1] = inStrides[p];
                continue;
            }
            dims.Add(input[p]);
            strides.Add(inStrides[p]);
        }
        if (dims.Count == 0) return ([1], [1]);
        return (dims.ToArray(), strides.ToArray());
    }

    /// <summary>The input and output offsets of every index of the dims before <paramref name="inner"/> other than
    /// <paramref name="skip"/>, in output order.</summary>
    private static (int[] Inputs, int[] Outputs) Outer(int[] dims, int[] strides, int inner, int skip)
    {
        var outStrides = Shapes.Strides(dims);
        var index = new int[inner];
        var (ats, tos) = (new List<int>(), new List<int>());
        var (at, to) = (0, 0);
        while (true)
        {
            ats.Add(at);
            tos.Add(to);
            var d = inner - 1;
            for (; d >= 0; d--)
            {
                if (d == skip) continue;
                at += strides[d];
                to += outStrides[d];
                if (++index[d] < dims[d]) break;
                at -= strides[d] * dims[d];
                to -= outStrides[d] * dims[d];
                index[d] = 0;
            }
            if (d < 0) return (ats.ToArray(), tos.ToArray());
        }
    }

    /// <summary>y[to + r * rowStride + j] = x[at + r + j * columnStride] for r &lt; rows, j &lt; columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(float[] x, int at, float[] y, int to, int rows, int columns, int columnStride, int rowStride)
    {
        ref var source = ref MemoryMarshal.GetArrayDataReference(x);
        ref var target = ref MemoryMarshal.GetArrayDataReference(y);
        if (rows == 3 && columnStride == 3 && Avx2.IsSupported)
        {
            Interleaved3(ref Unsafe.Add(ref source, at), ref Unsafe.Add(ref target, to), columns, rowStride);
            return;
        }
        var (fullRows, fullColumns) = Avx.IsSupported ? (rows / 8 * 8, columns / 8 * 8) : (0, 0);
        for (var r = 0; r < fullRows; r += 8)
        for (var j = 0; j < fullColumns; j += 8)
            Tile(ref Unsafe.Add(ref source, at + r + j * columnStride), columnStride, ref Unsafe.Add(ref target, to + r * rowStride + j), rowStride);
        // The edges, element by element.
        for (var r = 0; r < rows; r++)
        for (var j = r < fullRows ? fullColumns : 0; j < columns; j++)
            Unsafe.Add(ref target, to + r * rowStride + j) = Unsafe.Add(ref source, at + r + j * columnStride);
    }

    /// <summary>Three interleaved rows (an RGB image's pixels, NHWC to NCHW) split apart, 8 pixels at a time: of 24
    /// consecutive values, those of one row sit in distinct lanes of the three vectors, so two blends gather them into one
    /// vector and a permute orders it.</summary>
    private static void Interleaved3(ref float source, ref float target, int columns, int rowStride)
    {
        var d = (nuint)rowStride;
        var j = 0;
        for (; j + 8 <= columns; j += 8)
        {
            ref var at = ref Unsafe.Add(ref source, 3 * j);
            var (v0, v1, v2) = (Vector256.LoadUnsafe(ref at), Vector256.LoadUnsafe(ref at, 8), Vector256.LoadUnsafe(ref at, 16));
            var row0 = Avx.Blend(Avx.Blend(v0, v1, 0b1001_0010), v2, 0b0010_0100);
            var row1 = Avx.Blend(Avx.Blend(v0, v1, 0b0010_0100), v2, 0b0100_1001);
            var row2 = Avx.Blend(Avx.Blend(v0, v1, 0b0100_1001), v2, 0b1001_0010);
            Avx2.PermuteVar8x32(row0, Vector256.Create(0, 3, 6, 1, 4, 7, 2, 5)).StoreUnsafe(ref target, (nuint)j);
            Avx2.PermuteVar8x32(row1, Vector256.Create(1, 4, 7, 2, 5, 0, 3, 6)).StoreUnsafe(ref target, d + (nuint)j);
            Avx2.PermuteVar8x32(row2, Vector256.Create(2, 5, 0, 3, 6, 1, 4, 7)).StoreUnsafe(ref target, 2 * d + (nuint)j);
        }
        for (; j < columns; j++)
            for (var r = 0; r < 3; r++) Unsafe.Add(ref target, r * rowStride + j) = Unsafe.Add(ref source, 3 * j + r);
    }

    /// <summary>An 8 x 8 tile: rows of <paramref name="source"/> <paramref name="sourceStride"/> apart become columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(ref float source, int sourceStride, ref float target, int targetStride)
    {
        var s = (nuint)sourceStride;
        var (r0, r1, r2, r3) = (Vector256.LoadUnsafe(ref source), Vector256.LoadUnsafe(ref source, s), Vector256.LoadUnsafe(ref source, 2 * s), Vector256.LoadUnsafe(ref source, 3 * s));
        var (r4, r5, r6, r7) = (Vector256.LoadUnsafe(ref source, 4 * s), Vector256.LoadUnsafe(ref source, 5 * s), Vector256.LoadUnsafe(ref source, 6 * s), Vector256.LoadUnsafe(ref source, 7 * s));
        // Pairs interleaved, then quads, then the 128-bit halves swapped across: the classic 8 x 8 transpose.
        var (t0, t1, t2, t3) = (Avx.UnpackLow(r0, r1), Avx.UnpackHigh(r0, r1), Avx.UnpackLow(r2, r3), Avx.UnpackHigh(r2, r3));
        var (t4, t5, t6, t7) = (Avx.UnpackLow(r4, r5), Avx.UnpackHigh(r4, r5), Avx.UnpackLow(r6, r7), Avx.UnpackHigh(r6, r7));
        var (u0, u1, u2, u3) = (Avx.Shuffle(t0, t2, 0x44), Avx.Shuffle(t0, t2, 0xEE), Avx.Shuffle(t1, t3, 0x44), Avx.Shuffle(t1, t3, 0xEE));
        var (u4, u5, u6, u7) = (Avx.Shuffle(t4, t6, 0x44), Avx.Shuffle(t4, t6, 0xEE), Avx.Shuffle(t5, t7, 0x44), Avx.Shuffle(t5, t7, 0xEE));
        var d = (nuint)targetStride;
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref target);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref target, d);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref target, 2 * d);
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref target, 3 * d);
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref target, 4 * d);
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref target, 5 * d);
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref target, 6 * d);
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref target, 7 * d);
    }
}
