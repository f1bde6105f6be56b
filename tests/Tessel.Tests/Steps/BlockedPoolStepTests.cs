using Tessel.Layouts;
using Tessel.Runtime.Steps;

namespace Tessel.Tests.Steps;

/// <summary>The blocked pool against ONNX's definition computed naively on NCHW: max and average, pads, ceil mode's
/// partial windows, padding counted or not, blocks of 8 and 16 over channel counts that leave padding lanes.</summary>
public sealed unsafe class BlockedPoolStepTests
{
    public static TheoryData<bool, int, int, int, int, int, int, bool> Windows() => new()
    {
        // max, block, channels, size, kernel, stride, pad, count padding
        { true, 16, 20, 13, 3, 2, 0, false },
        { true, 8, 12, 12, 3, 2, 1, false },
        { true, 16, 16, 9, 2, 2, 0, false },
        { false, 16, 24, 11, 3, 2, 1, false },
        { false, 8, 5, 7, 3, 1, 1, true },
        { false, 16, 16, 8, 5, 3, 2, true },
        // Large enough to be split between the two threads.
        { true, 16, 40, 64, 3, 2, 1, false },
        { false, 8, 24, 64, 2, 2, 0, false },
        // 32-channel blocks (four accumulators) and 24 (three).
        { true, 32, 40, 15, 3, 2, 1, false },
        { false, 24, 30, 12, 2, 2, 0, false },
    };

    [Theory]
    [MemberData(nameof(Windows))]
    public void A_blocked_pool_computes_what_onnx_defines(bool max, int block, int channels, int size, int kernel, int stride, int pad, bool countPad)
    {
        const int batch = 2;
        // Ceil mode where the stride leaves a partial window: the last one is then clamped.
        var outSize = (size + 2 * pad - kernel + stride - 1) / stride + 1;
        if ((outSize - 1) * stride >= size + pad) outSize--;
        var random = new Random(size * 7 + kernel);
        var x = Enumerable.Range(0, batch * channels * size * size).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var blocked = new float[ChannelBlocks.Length(batch, channels, size * size, block)];
        var outBlocked = new float[ChannelBlocks.Length(batch, channels, outSize * outSize, block)];
        fixed (float* s = x, d = blocked) ChannelBlocks.Convert(s, 1, d, block, batch, channels, size * size);
        var window = new PoolWindow(max, size, size, outSize, outSize, [kernel, kernel], [stride, stride], [pad, pad, pad, pad], countPad);
        new BlockedPoolStep(blocked, outBlocked, window, block, batch, channels, threads: 2).Run();
        var y = new float[batch * channels * outSize * outSize];
        fixed (float* s = outBlocked, d = y) ChannelBlocks.Convert(s, block, d, 1, batch, channels, outSize * outSize);

        for (var p = 0; p < batch * channels; p++)
        for (var oy = 0; oy < outSize; oy++)
        for (var ox = 0; ox < outSize; ox++)
        {
            var (best, sum, inside, padded) = (float.NegativeInfinity, 0.0, 0, 0);
            for (var ky = 0; ky < kernel; ky++)
            for (var kx = 0; kx < kernel; kx++)
            {
                var (iy, ix) = (oy * stride - pad + ky, ox * stride - pad + kx);
                if (iy < size + pad && ix < size + pad) padded++;
                if (iy < 0 || ix < 0 || iy >= size || ix >= size) continue;
                var v = x[(p * size + iy) * size + ix];
                (best, sum, inside) = (Math.Max(best, v), sum + v, inside + 1);
            }
            var expected = max ? best : (float)(sum / (countPad ? padded : inside));
            var actual = y[(p * outSize + oy) * outSize + ox];
            Assert.True(Math.Abs(expected - actual) <= 1e-6f, $"plane {p} ({oy}, {ox}): {actual}, expected {expected}");
        }
    }
}
