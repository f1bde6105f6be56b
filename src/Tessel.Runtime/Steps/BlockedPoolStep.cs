using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Tessel.Graph.Operators;

namespace Tessel.Runtime.Steps;

/// <summary>MaxPool or AveragePool on a channel-blocked tensor (NCHW[b]c), written blocked: every window reads whole
/// blocks of channels, so each tap is one vector max or add per 8 (or 16) lanes — no layout conversion around the
/// pool, and no strided access.</summary>
public sealed class BlockedPoolStep : IStep
{
    private readonly float[] input, output;
    private readonly int block, height, width, outHeight, outWidth;
    private readonly bool max, direct;
    private readonly int[] rowStart, rowEnd, columnStart, columnEnd;
    private readonly float[] rowScale, columnScale;
    private readonly Action run;

    public BlockedPoolStep(float[] input, float[] output, PoolWindow window, int block, int batch, int channels, int threads)
    {
        if (block % Vector256<float>.Count != 0) throw new ArgumentException($"a blocked pool needs a block of whole 8-lane vectors, got {block}", nameof(block));
        (this.input, this.output, this.block, max) = (input, output, block, window.Max);
        // Strided windows share at most one column with the next: each output row straight from its input rows. At a
        // stride of 1 they share all but one, which the separable pass reduces once (3 x 3 over 64 x 56 x 56, Zen 4:
        // 0.062 ms separable, 0.072 direct; stride 2, 64 x 111 x 111: 0.111 separable, 0.063 direct).
        direct = window.Strides[1] >= 2;
        (height, width, outHeight, outWidth) = (window.InputHeight, window.InputWidth, window.OutputHeight, window.OutputWidth);
        // Each window's extent and an average's divisor, per row and per column (the divisor is their product).
        (rowStart, rowEnd, rowScale) = PoolGeometry.Spans(outHeight, window.Strides[0], window.Pads[0], window.Kernel[0], height, window.Pads[2], window.CountIncludePad);
        (columnStart, columnEnd, columnScale) = PoolGeometry.Spans(outWidth, window.Strides[1], window.Pads[1], window.Kernel[1], width, window.Pads[3],
            window.CountIncludePad);
        var rows = batch * Layouts.ChannelBlocks.Blocks(channels, block) * outHeight;
        run = KernelRuntime.WorkPool.SplitRows(rows, (long)window.Kernel[0] * width * block, threads, Rows);
    }

    public void Run() => run();

    /// <summary>Each thread's row of input windows reduced over their rows, kept between calls.</summary>
    [ThreadStatic] private static float[]? scratchRow;

    /// <summary>Output rows <paramref name="from"/> to <paramref name="to"/>, counted over (image, channel block, row).</summary>
    private void Rows(int from, int to)
    {
        if (max) Rows<MaxReduction>(from, to);
        else Rows<SumReduction>(from, to);
    }

    /// <summary>Strided windows straight from their rows (<see cref="Direct512"/>); at a stride of 1, separable, as the NCHW
    /// pool: each output row's window of input rows is first reduced into one row (a vector pass over whole contiguous
    /// rows, into the thread's scratch row), then each output pixel reduces its window's columns of that row, every
    /// vector of the block in the same pass over the taps. Reducing each window's taps in one chain was bound by the
    /// chain: 13 GB/s at one thread, half ONNX Runtime's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Rows<TReduction>(int from, int to) where TReduction : struct, IPoolReduction
    {
        var rowLength = width * block;
        if (scratchRow is null || scratchRow.Length < rowLength) scratchRow = new float[rowLength];
        var scratch = scratchRow.AsSpan(0, rowLength);
        ref var x = ref input[0];
        ref var y = ref output[0];
        var wide = Vector512.IsHardwareAccelerated && block % Vector512<float>.Count == 0;
        for (var row = from; row < to; row++)
        {
            var (plane, oy) = Math.DivRem(row, outHeight);
            var (y0, y1) = (rowStart[oy], rowEnd[oy]);
            var planeStart = (long)plane * height * rowLength;
            ref var reduced = ref Unsafe.Add(ref x, (nint)(planeStart + (long)y0 * rowLength));
            ref var pixel = ref Unsafe.Add(ref y, (nint)((long)row * outWidth * block));
            if (direct)
            {
                if (wide) Direct512<TReduction>(ref reduced, Math.Max(1, y1 - y0), (nuint)rowLength, ref pixel, rowScale[oy]);
                else Direct256<TReduction>(ref reduced, Math.Max(1, y1 - y0), (nuint)rowLength, ref pixel, rowScale[oy]);
                continue;
            }
            if (y1 - y0 > 1)
            {
                reduced = ref MemoryMarshal.GetReference(scratch);
                PoolPlane.ReduceRows<TReduction>(input.AsSpan((int)(planeStart + (long)y0 * rowLength)), y1 - y0, rowLength, scratch);
            }
            if (wide) Pixels512<TReduction>(ref reduced, ref pixel, rowScale[oy]);
            else Pixels256<TReduction>(ref reduced, ref pixel, rowScale[oy]);
        }
    }

    /// <summary>One output row's pixels from the <paramref name="count"/> input rows of their windows, 16 lanes a vector:
    /// each tap column reduced over the rows in registers, then over the window's columns; a window's last column is
    /// kept for the next window, whose first it is at a stride of 2 with 3 taps (a stem's max pool): 6 loads a pixel and
    /// no scratch row, where the separable pass stored every reduced column and loaded it again.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    private void Direct512<TReduction>(ref float top, int count, nuint rowLength, ref float y, float rowScale) where TReduction : struct, IPoolReduction
    {
        var b = block;
        for (var lane = 0; lane < b; lane += Vector512<float>.Count)
        {
            var (carried, carry) = (-1, Vector512<float>.Zero);
            for (var ox = 0; ox < outWidth; ox++)
            {
                var (x0, x1) = (columnStart[ox], columnEnd[ox]);
                var acc = Vector512.Create(TReduction.Identity);
                for (var ix = x0; ix < x1; ix++)
                {
                    var column = ix == carried ? carry : PoolPlane.Window512<TReduction>(ref Unsafe.Add(ref top, ix * b + lane), count, rowLength);
                    acc = TReduction.Combine(acc, column);
                    (carried, carry) = (ix, column);
                }
                if (TReduction.Averages) acc *= rowScale * columnScale[ox];
                acc.StoreUnsafe(ref y, (nuint)(ox * b + lane));
            }
        }
    }

    /// <summary><see cref="Direct512"/> with 8 lanes a vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    private void Direct256<TReduction>(ref float top, int count, nuint rowLength, ref float y, float rowScale) where TReduction : struct, IPoolReduction
    {
        var b = block;
        for (var lane = 0; lane < b; lane += Vector256<float>.Count)
        {
            var (carried, carry) = (-1, Vector256<float>.Zero);
            for (var ox = 0; ox < outWidth; ox++)
            {
                var (x0, x1) = (columnStart[ox], columnEnd[ox]);
                var acc = Vector256.Create(TReduction.Identity);
                for (var ix = x0; ix < x1; ix++)
                {
                    var column = ix == carried ? carry : PoolPlane.Window256<TReduction>(ref Unsafe.Add(ref top, ix * b + lane), count, rowLength);
                    acc = TReduction.Combine(acc, column);
                    (carried, carry) = (ix, column);
                }
                if (TReduction.Averages) acc *= rowScale * columnScale[ox];
                acc.StoreUnsafe(ref y, (nuint)(ox * b + lane));
            }
        }
    }

    /// <summary>One output row's pixels, 8 lanes a vector, up to 4 vectors of the block per pass over the taps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    private void Pixels256<TReduction>(ref float reduced, ref float y, float rowScale) where TReduction : struct, IPoolReduction
    {
        var b = block;
        for (var ox = 0; ox < outWidth; ox++)
        {
            var (x0, x1) = (columnStart[ox], columnEnd[ox]);
            var scale = TReduction.Averages ? rowScale * columnScale[ox] : 1f;
            var at = (nuint)(ox * b);
            for (var lane = 0; lane < b; lane += 4 * Vector256<float>.Count)
            {
                var vectors = Math.Min(4, (b - lane) / Vector256<float>.Count);
                Vector256<float> a0 = Vector256.Create(TReduction.Identity), a1 = a0, a2 = a0, a3 = a0;
                for (var (ix, tap) = (x0, (nuint)(x0 * b + lane)); ix < x1; ix++, tap += (nuint)b)
                {
                    a0 = TReduction.Combine(a0, Vector256.LoadUnsafe(ref reduced, tap));
                    if (vectors < 2) continue;
                    a1 = TReduction.Combine(a1, Vector256.LoadUnsafe(ref reduced, tap + 8));
                    if (vectors < 3) continue;
                    a2 = TReduction.Combine(a2, Vector256.LoadUnsafe(ref reduced, tap + 16));
                    if (vectors < 4) continue;
                    a3 = TReduction.Combine(a3, Vector256.LoadUnsafe(ref reduced, tap + 24));
                }
                var store = at + (nuint)lane;
                (TReduction.Averages ? a0 * scale : a0).StoreUnsafe(ref y, store);
                if (vectors < 2) continue;
                (TReduction.Averages ? a1 * scale : a1).StoreUnsafe(ref y, store + 8);
                if (vectors < 3) continue;
                (TReduction.Averages ? a2 * scale : a2).StoreUnsafe(ref y, store + 16);
                if (vectors < 4) continue;
                (TReduction.Averages ? a3 * scale : a3).StoreUnsafe(ref y, store + 24);
            }
        }
    }

    /// <summary>One output row's pixels where 512-bit vectors run natively and the block is whole 16-lane vectors: each
    /// tap is one load and one max or add per 16 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    private void Pixels512<TReduction>(ref float reduced, ref float y, float rowScale) where TReduction : struct, IPoolReduction
    {
        var b = block;
        for (var ox = 0; ox < outWidth; ox++)
        {
            var (x0, x1) = (columnStart[ox], columnEnd[ox]);
            var scale = TReduction.Averages ? rowScale * columnScale[ox] : 1f;
            var at = (nuint)(ox * b);
            for (var lane = 0; lane < b; lane += 2 * Vector512<float>.Count)
            {
                var two = b - lane >= 2 * Vector512<float>.Count;
                Vector512<float> a0 = Vector512.Create(TReduction.Identity), a1 = a0;
                for (var (ix, tap) = (x0, (nuint)(x0 * b + lane)); ix < x1; ix++, tap += (nuint)b)
                {
                    a0 = TReduction.Combine(a0, Vector512.LoadUnsafe(ref reduced, tap));
                    if (two) a1 = TReduction.Combine(a1, Vector512.LoadUnsafe(ref reduced, tap + 16));
                }
                var store = at + (nuint)lane;
                (TReduction.Averages ? a0 * scale : a0).StoreUnsafe(ref y, store);
                if (two) (TReduction.Averages ? a1 * scale : a1).StoreUnsafe(ref y, store + 16);
            }
        }
    }
}
