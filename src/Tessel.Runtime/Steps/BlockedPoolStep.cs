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
        // Strided windows share at most one column with the next: each output row from its input rows, in turn. At a
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

    /// <summary>Strided windows from their rows one after another (<see cref="InTurn"/>); at a stride of 1, separable, as the NCHW
    /// pool: each output row's window of input rows is first reduced into one row (a vector pass over whole contiguous
    /// rows, into the thread's scratch row), then each output pixel reduces its window's columns of that row, every
    /// vector of the block in the same pass over the taps. Reducing each window's taps in one chain was bound by the
    /// chain: 13 GB/s at one thread, half ONNX Runtime's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Rows<TReduction>(int from, int to) where TReduction : struct, IPoolReduction
    {
        var rowLength = width * block;
        // The separable pass's reduced input row, or a strided pool's partial output row.
        var scratchLength = Math.Max(width, outWidth) * block;
        if (scratchRow is null || scratchRow.Length < scratchLength) scratchRow = new float[scratchLength];
        var scratch = scratchRow.AsSpan(0, scratchLength);
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
                ref var partial = ref MemoryMarshal.GetReference(scratch);
                InTurn<TReduction>(wide, ref reduced, Math.Max(1, y1 - y0), (nuint)rowLength, ref partial, ref pixel, rowScale[oy]);
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

    /// <summary>One output row's pixels from the <paramref name="count"/> input rows of their windows, each row read whole,
    /// in order, so that the input is one stream: its taps reduced per output column into <paramref name="partial"/>,
    /// the last row's into the output. Reading a window's rows side by side (each column over the rows in registers,
    /// then over the columns) took 0.68-0.72 ms for VGG's first 2 x 2 max pool (64 channels, 224 x 224, blocks of 16)
    /// after 35 ms of compute and 0.50-0.58 run twice; in turn 0.47-0.48 and 0.38. ResNet's 3 x 3 stem pool (64 x 112 x
    /// 112, padded) 0.18-0.19 against 0.11; with AVX-512 off 0.65-0.73 against 0.49-0.58 and 0.20-0.23 against 0.13
    /// (Zen 5, 1 thread; at 2 threads the stem pool alike, VGG's 0.44-0.60 against 0.30-0.44).</summary>
    private void InTurn<TReduction>(bool wide, ref float top, int count, nuint rowLength, ref float partial, ref float y, float rowScale)
        where TReduction : struct, IPoolReduction
    {
        if (count == 1)
        {
            Row<TReduction, Only>(wide, ref top, ref partial, ref y, rowScale);
            return;
        }
        Row<TReduction, First>(wide, ref top, ref partial, ref y, rowScale);
        for (var r = 1; r < count - 1; r++) Row<TReduction, Middle>(wide, ref Unsafe.Add(ref top, (nint)((nuint)r * rowLength)), ref partial, ref y, rowScale);
        Row<TReduction, Last>(wide, ref Unsafe.Add(ref top, (nint)((nuint)(count - 1) * rowLength)), ref partial, ref y, rowScale);
    }

    private void Row<TReduction, TRole>(bool wide, ref float row, ref float partial, ref float y, float rowScale)
        where TReduction : struct, IPoolReduction where TRole : struct, IRowRole
    {
        if (wide) Row512<TReduction, TRole>(ref row, ref partial, ref y, rowScale);
        else Row256<TReduction, TRole>(ref row, ref partial, ref y, rowScale);
    }

    /// <summary>One input row's taps reduced per output column, 16 lanes a vector, into the partial row or the output as
    /// <typeparamref name="TRole"/> says: a generic role, so that each row's loop carries no branch on it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Row512<TReduction, TRole>(ref float row, ref float partial, ref float y, float rowScale)
        where TReduction : struct, IPoolReduction where TRole : struct, IRowRole
    {
        // Locals, not fields: the stores through refs would make the JIT load every field again each column.
        var (b, starts, ends, scales) = ((nuint)block, columnStart, columnEnd, columnScale);
        for (var ox = 0; ox < starts.Length; ox++)
        {
            var (x0, x1) = ((nuint)starts[ox], (nuint)ends[ox]);
            for (nuint lane = 0; lane < b; lane += (nuint)Vector512<float>.Count)
            {
                var acc = Vector512.LoadUnsafe(ref row, x0 * b + lane);
                for (var ix = x0 + 1; ix < x1; ix++) acc = TReduction.Combine(acc, Vector512.LoadUnsafe(ref row, ix * b + lane));
                var at = (nuint)ox * b + lane;
                if (!TRole.Opens) acc = TReduction.Combine(acc, Vector512.LoadUnsafe(ref partial, at));
                if (!TRole.Closes) acc.StoreUnsafe(ref partial, at);
                else (TReduction.Averages ? acc * (rowScale * scales[ox]) : acc).StoreUnsafe(ref y, at);
            }
        }
    }

    /// <summary><see cref="Row512"/> with 8 lanes a vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Row256<TReduction, TRole>(ref float row, ref float partial, ref float y, float rowScale)
        where TReduction : struct, IPoolReduction where TRole : struct, IRowRole
    {
        var (b, starts, ends, scales) = ((nuint)block, columnStart, columnEnd, columnScale);
        for (var ox = 0; ox < starts.Length; ox++)
        {
            var (x0, x1) = ((nuint)starts[ox], (nuint)ends[ox]);
            for (nuint lane = 0; lane < b; lane += (nuint)Vector256<float>.Count)
            {
                var acc = Vector256.LoadUnsafe(ref row, x0 * b + lane);
                for (var ix = x0 + 1; ix < x1; ix++) acc = TReduction.Combine(acc, Vector256.LoadUnsafe(ref row, ix * b + lane));
                var at = (nuint)ox * b + lane;
                if (!TRole.Opens) acc = TReduction.Combine(acc, Vector256.LoadUnsafe(ref partial, at));
                if (!TRole.Closes) acc.StoreUnsafe(ref partial, at);
                else (TReduction.Averages ? acc * (rowScale * scales[ox]) : acc).StoreUnsafe(ref y, at);
            }
        }
    }

    /// <summary>Where a window's row stands among its rows: whether it starts the partial row (else combines with it) and
    /// whether it ends the window (writes the output, else the partial row).</summary>
    private interface IRowRole
    {
        static abstract bool Opens { get; }
        static abstract bool Closes { get; }
    }

    private readonly struct Only : IRowRole { public static bool Opens => true; public static bool Closes => true; }
    private readonly struct First : IRowRole { public static bool Opens => true; public static bool Closes => false; }
    private readonly struct Middle : IRowRole { public static bool Opens => false; public static bool Closes => false; }
    private readonly struct Last : IRowRole { public static bool Opens => false; public static bool Closes => true; }

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
