using Tessel.Tasks;

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

    public override string ToString() =>
        $"conv2d N{N} C{C} {H}x{W} -> OC{OC} k{KH}x{KW} s{StrideH},{StrideW} p{PadTop},{PadLeft},{PadBottom},{PadRight} d{DilationH},{DilationW} g{Groups} -> {OH}x{OW}";
}
