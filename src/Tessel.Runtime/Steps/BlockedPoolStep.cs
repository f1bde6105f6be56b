using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tessel.Runtime.Steps;

/// <summary>MaxPool or AveragePool on a channel-blocked tensor (NCHW[b]c), written blocked: every window reads whole
/// blocks of channels, so each tap is one vector max or add per 8 lanes — no layout conversion around the pool, and
/// no strided access (the NCHW pool's row passes are scalar for a stride above one).</summary>
public sealed class BlockedPoolStep : IStep
{
    private readonly float[] input, output;
    private readonly PoolWindow window;
    private readonly int block, height, width, outHeight, outWidth;
    private readonly Action run;

    public BlockedPoolStep(float[] input, float[] output, PoolWindow window, int block, int batch, int channels, int threads)
    {
        if (block % Vector256<float>.Count != 0) throw new ArgumentException($"a blocked pool needs a block of whole 8-lane vectors, got {block}", nameof(block));
        (this.input, this.output, this.window, this.block) = (input, output, window, block);
        (height, width, outHeight, outWidth) = (window.InputHeight, window.InputWidth, window.OutputHeight, window.OutputWidth);
        var rows = batch * Layouts.ChannelBlocks.Blocks(channels, block) * outHeight;
        run = KernelRuntime.WorkPool.SplitRows(rows, (long)window.Kernel[0] * width * block, threads, Rows);
    }

    public void Run() => run();

    /// <summary>Output rows <paramref name="from"/> to <paramref name="to"/>, counted over (image, channel block, row).</summary>
    private void Rows(int from, int to)
    {
        if (window.Max) Rows<MaxOp>(from, to);
        else Rows<SumOp>(from, to);
    }

    /// <summary>One window's reduction, a struct so each loop is compiled for it with no per-tap branch.</summary>
    private interface IReduction
    {
        static abstract Vector256<float> Identity { get; }
        static abstract Vector256<float> Combine(Vector256<float> acc, Vector256<float> tap);
        static abstract bool Averages { get; }
    }

    private readonly struct MaxOp : IReduction
    {
        public static Vector256<float> Identity => Vector256.Create(float.NegativeInfinity);
        public static Vector256<float> Combine(Vector256<float> acc, Vector256<float> tap) => Vector256.Max(acc, tap);
        public static bool Averages => false;
    }

    private readonly struct SumOp : IReduction
    {
        public static Vector256<float> Identity => Vector256<float>.Zero;
        public static Vector256<float> Combine(Vector256<float> acc, Vector256<float> tap) => acc + tap;
        public static bool Averages => true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Rows<TReduction>(int from, int to) where TReduction : struct, IReduction
    {
        ref var x = ref input[0];
        ref var y = ref output[0];
        var (b, rowLength) = (block, (long)width * block);
        for (var row = from; row < to; row++)
        {
            var (plane, oy) = Math.DivRem(row, outHeight);
            var (y0, y1) = window.Rows(oy);
            var planeStart = (long)plane * height * rowLength;
            for (var ox = 0; ox < outWidth; ox++)
            {
                var (x0, x1) = window.Columns(ox);
                var scale = TReduction.Averages ? 1f / window.Count(y0, y1, x0, x1, oy, ox) : 1f;
                var at = (nuint)(((long)row * outWidth + ox) * b);
                for (var lane = 0; lane < b; lane += Vector256<float>.Count)
                {
                    var acc = TReduction.Identity;
                    for (var iy = y0; iy < y1; iy++)
                    {
                        var tap = (nuint)(planeStart + iy * rowLength + (long)x0 * b + lane);
                        for (var ix = x0; ix < x1; ix++, tap += (nuint)b) acc = TReduction.Combine(acc, Vector256.LoadUnsafe(ref x, tap));
                    }
                    (TReduction.Averages ? acc * scale : acc).StoreUnsafe(ref y, at + (nuint)lane);
                }
            }
        }
    }
}
