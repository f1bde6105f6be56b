using Tessel.Workloads;

namespace Tessel.Templates.Conv2dTranspose;

/// <summary>The typed form of a <c>conv2d_transpose</c> workload: NCHW data, the weight in ONNX's layout
/// <c>[C, OC / groups, KH, KW]</c>, padding as top, left, bottom, right, and output_padding (rows and columns added at
/// the output's end). Output pixel <c>oy</c> sums input rows <c>iy</c> with <c>iy * SH - PT + ky * DH = oy</c>.</summary>
public sealed record Conv2dTransposeParams(
    int N, int C, int H, int W, int OC, int KH, int KW,
    int StrideH, int StrideW, int PadTop, int PadLeft, int PadBottom, int PadRight,
    int OutPadH, int OutPadW, int DilationH, int DilationW, int Groups)
{
    public int ICPerGroup => C / Groups;
    public int OCPerGroup => OC / Groups;
    public int OH => StrideH * (H - 1) + OutPadH + DilationH * (KH - 1) + 1 - PadTop - PadBottom;
    public int OW => StrideW * (W - 1) + OutPadW + DilationW * (KW - 1) + 1 - PadLeft - PadRight;

    public int[] DataShape => [N, C, H, W];

    /// <summary>The weight as the kernel takes it: output channels first, <c>[OC, C / groups, KH, KW]</c> (a conv's
    /// OIHW order, not flipped), so a BatchNormalization after it folds per output channel as into a conv.</summary>
    public int[] WeightShape => [OC, ICPerGroup, KH, KW];

    /// <summary>The weight as ONNX holds it.</summary>
    public int[] OnnxWeightShape => [C, OCPerGroup, KH, KW];

    public int[] OutputShape => [N, OC, OH, OW];

    /// <summary>Multiply-adds that land inside the output, twice: taps that fall in the cropped padding do no work.</summary>
    public long Flops => 2L * N * OC * ICPerGroup * Landing(H, KH, StrideH, PadTop, DilationH, OH) * Landing(W, KW, StrideW, PadLeft, DilationW, OW);

    private static long Landing(int size, int kernel, int stride, int padBegin, int dilation, int output)
    {
        long count = 0;
        for (var i = 0; i < size; i++)
        for (var k = 0; k < kernel; k++)
        {
            var o = i * stride - padBegin + k * dilation;
            if (o >= 0 && o < output) count++;
        }
        return count;
    }

    /// <summary>The extents as the compiled scalar kernels take them.</summary>
    public Kernels.ConvTransposeShape Shape =>
        new(N, C, H, W, OC, KH, KW, StrideH, StrideW, PadTop, PadLeft, DilationH, DilationW, Groups, OH, OW);

    /// <summary>Reads the args written by <see cref="Conv2dTransposeTemplate.Workload"/>.</summary>
    public static Conv2dTransposeParams From(Workload workload)
    {
        var d = workload.TensorShape(0);
        var k = workload.TensorShape(1);
        var s = workload.IntList(2);
        var p = workload.IntList(3);
        var op = workload.IntList(4);
        var dl = workload.IntList(5);
        var g = workload.Int(6);
        Validate(d, k, s, p, op, dl, g);
        return new Conv2dTransposeParams(d[0], d[1], d[2], d[3], k[1] * g, k[2], k[3], s[0], s[1], p[0], p[1], p[2], p[3], op[0], op[1], dl[0], dl[1], g);
    }

    internal static void Validate(int[] data, int[] kernel, int[] strides, int[] padding, int[] outputPadding, int[] dilation, int groups)
    {
        static string S(int[] a) => "[" + string.Join(",", a) + "]";
        if (data.Length != 4 || data.Any(d => d < 1))
            throw new ArgumentException($"data must have 4 positive dims (N,C,H,W), got {S(data)}", nameof(data));
        if (kernel.Length != 4 || kernel.Any(d => d < 1))
            throw new ArgumentException($"kernel must have 4 positive dims (C,OC/groups,KH,KW: ONNX's ConvTranspose weight), got {S(kernel)}", nameof(kernel));
        if (strides.Length != 2 || strides.Any(d => d < 1))
            throw new ArgumentException($"strides must be 2 positive ints (sh,sw), got {S(strides)}", nameof(strides));
        if (padding.Length != 4 || padding.Any(d => d < 0))
            throw new ArgumentException($"padding must be 4 non-negative ints (top,left,bottom,right), got {S(padding)}", nameof(padding));
        if (dilation.Length != 2 || dilation.Any(d => d < 1))
            throw new ArgumentException($"dilation must be 2 positive ints (dh,dw), got {S(dilation)}", nameof(dilation));
        if (outputPadding.Length != 2 || outputPadding.Any(d => d < 0) || outputPadding[0] >= Math.Max(strides[0], dilation[0]) || outputPadding[1] >= Math.Max(strides[1], dilation[1]))
            throw new ArgumentException($"output padding must be 2 non-negative ints below the stride or the dilation, got {S(outputPadding)} with strides {S(strides)}", nameof(outputPadding));
        if (groups < 1 || data[1] % groups != 0)
            throw new ArgumentException($"groups {groups} must be positive and divide the data channels {data[1]} (data {S(data)})", nameof(groups));
        if (kernel[0] != data[1])
            throw new ArgumentException($"kernel's first dim must be the data channels {data[1]} (C,OC/groups,KH,KW), got kernel {S(kernel)}", nameof(kernel));
        var oh = strides[0] * (data[2] - 1) + outputPadding[0] + dilation[0] * (kernel[2] - 1) + 1 - padding[0] - padding[2];
        var ow = strides[1] * (data[3] - 1) + outputPadding[1] + dilation[1] * (kernel[3] - 1) + 1 - padding[1] - padding[3];
        if (oh < 1 || ow < 1)
            throw new ArgumentException($"padding {S(padding)} leaves no output of data {S(data)} with kernel {S(kernel)} and strides {S(strides)}", nameof(padding));
    }

    public override string ToString() =>
        $"conv2d_transpose N{N} C{C} {H}x{W} -> OC{OC} k{KH}x{KW} s{StrideH},{StrideW} p{PadTop},{PadLeft},{PadBottom},{PadRight} op{OutPadH},{OutPadW} " +
        $"d{DilationH},{DilationW} g{Groups} -> {OH}x{OW}";
}
