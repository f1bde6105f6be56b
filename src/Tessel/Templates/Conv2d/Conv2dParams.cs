using Tessel.Kernels;
using Tessel.Workloads;

namespace Tessel.Templates.Conv2d;

/// <summary>The typed form of a <c>conv2d_nchw</c> workload: NCHW data, OIHW weight (I = C / groups),
/// padding as top, left, bottom, right.</summary>
public sealed record Conv2dParams(
    int N, int C, int H, int W, int OC, int KH, int KW,
    int StrideH, int StrideW, int PadTop, int PadLeft, int PadBottom, int PadRight,
    int DilationH, int DilationW, int Groups)
{
    public int ICPerGroup => C / Groups;
    public int OCPerGroup => OC / Groups;
    public int OH => Graph.Window.Output(H, KH, StrideH, PadTop + PadBottom, DilationH);
    public int OW => Graph.Window.Output(W, KW, StrideW, PadLeft + PadRight, DilationW);

    /// <summary>The extents as the compiled scalar kernels take them.</summary>
    public ConvShape Shape => new(N, C, H, W, OC, KH, KW, StrideH, StrideW, PadTop, PadLeft, DilationH, DilationW, Groups, OH, OW);

    public int[] DataShape => [N, C, H, W];
    public int[] WeightShape => [OC, ICPerGroup, KH, KW];
    public int[] OutputShape => [N, OC, OH, OW];

    public long Flops => 2L * N * OC * OH * OW * ICPerGroup * KH * KW;

    /// <summary>Reads the args written by <see cref="Conv2dNchwTemplate.Workload"/>.</summary>
    public static Conv2dParams From(Workload workload)
    {
        var d = workload.TensorShape(0);
        var k = workload.TensorShape(1);
        var s = workload.IntList(2);
        var p = workload.IntList(3);
        var dl = workload.IntList(4);
        var g = workload.Int(5);
        Conv2dNchwTemplate.Validate(d, k, s, p, dl, g);
        return new Conv2dParams(d[0], d[1], d[2], d[3], k[0], k[2], k[3], s[0], s[1], p[0], p[1], p[2], p[3], dl[0], dl[1], g);
    }

    /// <summary>The loop nest the kernel is written for. A pointwise conv (1x1, stride 1, no padding) is a
    /// matrix product over the pixel plane, whose row breaks mean nothing: when the rows are not a
    /// multiple of 16 wide, the plane is re-cut into rows that are (the divisor of H*W nearest 64 that is
    /// a multiple of 16), so column tiles of whole 512- or 256-bit vectors cover every row with no tail.
    /// ResNet-50's 64->256 1x1 at 56x56 ran 1.3x faster as 49 rows of 64 than as 56 rows of 56. A plane with
    /// no such divisor (14x14, 7x7) becomes one flat row, so that a column tile is not cut short by a row
    /// break: MobileNetV2's 64->384 1x1 at 14x14 went from 62 to 99 GFLOP/s at one thread (48 trials each,
    /// ORT 97-100), as 17 channels x 16 columns that run on over the old row breaks.</summary>
    public Conv2dParams LoopNest()
    {
        if (KH != 1 || KW != 1 || StrideH != 1 || StrideW != 1 || PadTop + PadLeft + PadBottom + PadRight != 0 || W % 16 == 0) return this;
        var plane = H * W;
        var width = Enumerable.Range(1, plane / 16).Select(k => 16 * k).Where(w => plane % w == 0)
            .OrderBy(w => Math.Abs(Math.Log(w / 64.0))).FirstOrDefault();
        if (width == 0) width = plane;
        return this with { H = plane / width, W = width, DilationH = 1, DilationW = 1 };
    }

    public override string ToString() =>
        $"conv2d N{N} C{C} {H}x{W} -> OC{OC} k{KH}x{KW} s{StrideH},{StrideW} p{PadTop},{PadLeft},{PadBottom},{PadRight} d{DilationH},{DilationW} g{Groups} -> {OH}x{OW}";
}
