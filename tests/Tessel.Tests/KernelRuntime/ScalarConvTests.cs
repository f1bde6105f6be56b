using Tessel.Kernels;

namespace Tessel.Tests.KernelRuntime;

/// <summary>The reference conv every kernel is checked against, summed a plane at a time, equals the formula summed one
/// output at a time, to the bit (each output adds the same products in the same order), on shapes with strides, pads that
/// cut rows and columns on both sides, dilation, groups and a batch.</summary>
public sealed class ScalarConvTests
{
    public static TheoryData<ConvShape> Shapes() =>
    [
        Shape(n: 1, c: 3, h: 11, w: 9, oc: 4, k: 3, stride: 1, pad: 1, dilation: 1, groups: 1),
        Shape(n: 2, c: 4, h: 10, w: 13, oc: 6, k: 3, stride: 2, pad: 1, dilation: 1, groups: 2),
        Shape(n: 1, c: 5, h: 12, w: 12, oc: 5, k: 3, stride: 1, pad: 2, dilation: 2, groups: 5),
        Shape(n: 1, c: 2, h: 7, w: 8, oc: 3, k: 5, stride: 3, pad: 0, dilation: 1, groups: 1),
        Shape(n: 1, c: 2, h: 4, w: 4, oc: 2, k: 7, stride: 1, pad: 3, dilation: 1, groups: 1), // the kernel wider than the input
    ];

    private static ConvShape Shape(int n, int c, int h, int w, int oc, int k, int stride, int pad, int dilation, int groups)
    {
        var span = dilation * (k - 1) + 1;
        return new(n, c, h, w, oc, k, k, stride, stride, pad, pad, dilation, dilation, groups, (h + 2 * pad - span) / stride + 1, (w + 2 * pad - span) / stride + 1);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_plane_at_a_time_equals_the_formula_to_the_bit(ConvShape s)
    {
        var random = new Random(3);
        var data = Enumerable.Range(0, s.N * s.C * s.H * s.W).Select(_ => random.NextSingle() * 2 - 1).ToArray();
        var weight = Enumerable.Range(0, s.OC * s.C / s.Groups * s.KH * s.KW).Select(_ => random.NextSingle() * 2 - 1).ToArray();
        var output = new float[s.N * s.OC * s.OH * s.OW];

        ScalarKernels.Conv2d(data, weight, output, s);

        Assert.Equal(Formula(data, weight, s), output);
    }

    private static float[] Formula(float[] data, float[] weight, ConvShape s)
    {
        int icg = s.C / s.Groups, ocg = s.OC / s.Groups;
        var output = new float[s.N * s.OC * s.OH * s.OW];
        for (var n = 0; n < s.N; n++)
        for (var oc = 0; oc < s.OC; oc++)
        for (var y = 0; y < s.OH; y++)
        for (var x = 0; x < s.OW; x++)
        {
            double sum = 0;
            for (var ic = 0; ic < icg; ic++)
            for (var kh = 0; kh < s.KH; kh++)
            for (var kw = 0; kw < s.KW; kw++)
            {
                int iy = y * s.StrideH - s.PadTop + kh * s.DilationH, ix = x * s.StrideW - s.PadLeft + kw * s.DilationW;
                if (iy >= 0 && iy < s.H && ix >= 0 && ix < s.W)
                    sum += (double)data[((n * s.C + oc / ocg * icg + ic) * s.H + iy) * s.W + ix] * weight[((oc * icg + ic) * s.KH + kh) * s.KW + kw];
            }
            output[((n * s.OC + oc) * s.OH + y) * s.OW + x] = (float)sum;
        }
        return output;
    }
}
