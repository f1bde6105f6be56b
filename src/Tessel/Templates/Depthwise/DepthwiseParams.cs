using Tessel.Kernels;
using Tessel.Workloads;

namespace Tessel.Templates.Depthwise;

/// <summary>A depthwise conv2d workload read from its args. Output channel <c>c * M + m</c> reads input
/// channel <c>c</c> with filter <c>weight[c, m]</c> (ONNX's [C*M, 1, KH, KW] weight, reshaped).</summary>
public sealed record DepthwiseParams(
    int N, int C, int H, int W, int Multiplier, int KH, int KW,
    int StrideH, int StrideW, int PadTop, int PadLeft, int PadBottom, int PadRight, int DilationH, int DilationW)
{
    public int OC => C * Multiplier;
    public int OH => Graph.Window.Output(H, KH, StrideH, PadTop + PadBottom, DilationH);
    public int OW => Graph.Window.Output(W, KW, StrideW, PadLeft + PadRight, DilationW);
    public long Flops => 2L * N * OC * OH * OW * KH * KW;

    /// <summary>The extents as the compiled scalar kernels take them: a conv with one group per input channel.</summary>
    public ConvShape Shape => new(N, C, H, W, OC, KH, KW, StrideH, StrideW, PadTop, PadLeft, DilationH, DilationW, C, OH, OW);

    public static DepthwiseParams From(Workload workload)
    {
        var d = workload.TensorShape(0);
        var k = workload.TensorShape(1);
        var s = workload.IntList(2);
        var p = workload.IntList(3);
        var dl = workload.IntList(4);
        return new DepthwiseParams(d[0], d[1], d[2], d[3], k[1], k[2], k[3], s[0], s[1], p[0], p[1], p[2], p[3], dl[0], dl[1]);
    }

    public override string ToString() =>
        $"depthwise N={N} C={C} H={H} W={W} M={Multiplier} K={KH}x{KW} s={StrideH},{StrideW} p={PadTop},{PadLeft},{PadBottom},{PadRight} d={DilationH},{DilationW}";
}
