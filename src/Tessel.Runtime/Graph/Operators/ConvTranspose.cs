using System.Numerics.Tensors;

namespace Tessel.Graph.Operators;

/// <summary>2-D ConvTranspose (groups, strides, dilations, pads, output_padding, output_shape): each input
/// pixel scatters its weighted kernel into the output; rows are vector multiply-adds.</summary>
public sealed class ConvTranspose : IOperator
{
    public static readonly ConvTranspose Instance = new();

    private static (int[] Kernel, int[] Strides, int[] Pads, int[] Dilations, int[] Output) Plan(OpContext c)
    {
        var (input, weight) = (c.Shape(0), c.Shape(1));
        if (input.Length != 4 || weight.Length != 4) throw c.Unsupported("only 2-D ConvTranspose is supported");
        var group = c.Node.Int("group", 1);
        int[] kernel = [weight[2], weight[3]];
        var strides = c.Node.Ints("strides", [1, 1]);
        var dilations = c.Node.Ints("dilations", [1, 1]);
        var extra = c.Node.Ints("output_padding", [0, 0]);
        var pads = c.Node.Ints("pads", [0, 0, 0, 0]);
        var full = new int[2];
        for (var i = 0; i < 2; i++) full[i] = strides[i] * (input[2 + i] - 1) + extra[i] + (kernel[i] - 1) * dilations[i] + 1;
        var mode = c.Node.Attributes.TryGetValue("auto_pad", out var m) ? (string)m : "NOTSET";
        int[] size;
        if (c.Node.Attributes.ContainsKey("output_shape") || mode is "SAME_UPPER" or "SAME_LOWER")
        {
            size = c.Node.Attributes.ContainsKey("output_shape") ? c.Node.Ints("output_shape", [])[^2..] : [input[2] * strides[0], input[3] * strides[1]];
            pads = new int[4];
            for (var i = 0; i < 2; i++)
            {
                var total = Math.Max(0, full[i] - size[i]);
                (pads[i], pads[2 + i]) = mode == "SAME_UPPER" ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
            }
        }
        else size = [full[0] - pads[0] - pads[2], full[1] - pads[1] - pads[3]];
        return (kernel, strides, pads, dilations, [input[0], weight[1] * group, size[0], size[1]]);
    }

    public int[][] InferShapes(OpContext c) => [Plan(c).Output];

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var (kernel, strides, pads, dilations, output) = Plan(c);
        var (input, weight) = (c.Shape(0), c.Shape(1));
        var group = c.Node.Int("group", 1);
        int icg = input[1] / group, ocg = weight[1];
        var (x, w, y) = (inputs[0], inputs[1], outputs[0]);
        var bias = c.Has(2) ? inputs[2] : null;
        int oh = output[2], ow = output[3], ih = input[2], iw = input[3];
        return () =>
        {
            for (var n = 0; n < output[0]; n++)
            for (var oc = 0; oc < output[1]; oc++)
                y.AsSpan((n * output[1] + oc) * oh * ow, oh * ow).Fill(bias?[oc] ?? 0);
            var row = new float[iw];
            for (var n = 0; n < output[0]; n++)
            for (var ic = 0; ic < input[1]; ic++)
            {
                var g = ic / icg;
                for (var iy = 0; iy < ih; iy++)
                {
                    var source = x.AsSpan(((n * input[1] + ic) * ih + iy) * iw, iw);
                    for (var o = 0; o < ocg; o++)
                    {
                        var oc = g * ocg + o;
                        for (var ky = 0; ky < kernel[0]; ky++)
                        {
                            var oy = iy * strides[0] - pads[0] + ky * dilations[0];
                            if (oy < 0 || oy >= oh) continue;
                            var target = (n * output[1] + oc) * oh * ow + oy * ow;
                            for (var kx = 0; kx < kernel[1]; kx++)
                            {
                                var weightValue = w[((ic * ocg + o) * kernel[0] + ky) * kernel[1] + kx];
                                TensorPrimitives.Multiply(source, weightValue, row);
                                for (var ix = 0; ix < iw; ix++)
                                {
                                    var ox = ix * strides[1] - pads[1] + kx * dilations[1];
                                    if (ox >= 0 && ox < ow) y[target + ox] += row[ix];
                                }
                            }
                        }
                    }
                }
            }
        };
    }
}
