using System.Numerics.Tensors;

namespace Tessel.Graph.Operators;

/// <summary>2-D ConvTranspose (groups, strides, dilations, pads, output_padding, output_shape, auto_pad): each input
/// pixel scatters its weighted kernel into the output; rows are vector multiply-adds. Its canonical form has explicit
/// pads and output_padding (output_shape and auto_pad resolved as ONNX defines them), which the conv2d_transpose
/// template reads; this plain form runs one whose weight is not constant, and is the oracle in tests.</summary>
public sealed class ConvTranspose : IOperator
{
    public static readonly ConvTranspose Instance = new();

    /// <summary>The node's window with output_shape and auto_pad resolved: the output is
    /// <c>stride * (in - 1) + output_padding + (kernel - 1) * dilation + 1 - pad_begin - pad_end</c> per axis.
    /// Attributes that cannot hold (an output_padding not below the stride or dilation, a weight whose first dim is
    /// not the input's channels) are errors naming the node.</summary>
    public static (int[] Kernel, int[] Strides, int[] Pads, int[] Dilations, int[] OutputPadding, int[] Output) Plan(OpContext c)
    {
        var (input, weight) = (c.Shape(0), c.Shape(1));
        if (input.Length != 4 || weight.Length != 4) throw c.Unsupported("only 2-D ConvTranspose (4-D input and weight) is supported");
        var group = c.Node.Int("group", 1);
        if (group < 1 || input[1] % group != 0 || weight[0] != input[1])
            throw c.Unsupported($"ConvTranspose weight {Shapes.Format(weight)} with group {group} does not fit input {Shapes.Format(input)} " +
                "(the weight is [C_in, C_out / group, kH, kW], C_in the input's channels)");
        int[] kernel = [weight[2], weight[3]];
        var strides = c.Node.Ints("strides", [1, 1]);
        var dilations = c.Node.Ints("dilations", [1, 1]);
        var extra = c.Node.Ints("output_padding", [0, 0]);
        var pads = c.Node.Ints("pads", [0, 0, 0, 0]);
        if (strides.Length != 2 || strides.Any(s => s < 1)) throw c.Unsupported($"strides {Shapes.Format(strides)} must be 2 positive ints");
        if (dilations.Length != 2 || dilations.Any(d => d < 1)) throw c.Unsupported($"dilations {Shapes.Format(dilations)} must be 2 positive ints");
        if (pads.Length != 4 || pads.Any(p => p < 0)) throw c.Unsupported($"pads {Shapes.Format(pads)} must be 4 non-negative ints");
        if (extra.Length != 2) throw c.Unsupported($"output_padding {Shapes.Format(extra)} must be 2 ints");
        for (var i = 0; i < 2; i++)
            if (extra[i] < 0 || extra[i] >= Math.Max(strides[i], dilations[i]))
                throw c.Unsupported($"output_padding {Shapes.Format(extra)} must be non-negative and below the stride or the dilation (strides {Shapes.Format(strides)}, " +
                    $"dilations {Shapes.Format(dilations)})");
        var full = new int[2];
        for (var i = 0; i < 2; i++) full[i] = strides[i] * (input[2 + i] - 1) + extra[i] + (kernel[i] - 1) * dilations[i] + 1;
        var mode = c.Node.Attributes.TryGetValue("auto_pad", out var m) ? (string)m : "NOTSET";
        if (mode is not ("NOTSET" or "SAME_UPPER" or "SAME_LOWER" or "VALID")) throw c.Unsupported($"auto_pad '{mode}'");
        if (mode == "VALID") pads = [0, 0, 0, 0];
        int[] size;
        var requested = c.Node.Attributes.ContainsKey("output_shape");
        if (requested || mode is "SAME_UPPER" or "SAME_LOWER")
        {
            size = requested ? c.Node.Ints("output_shape", [])[^2..] : [input[2] * strides[0], input[3] * strides[1]];
            pads = new int[4];
            for (var i = 0; i < 2; i++)
            {
                var total = Math.Max(0, full[i] - size[i]);
                (pads[i], pads[2 + i]) = mode == "SAME_UPPER" ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
                // A requested size past the full one grows the output at its end (output_padding's work); SAME stops at the
                // full size, as ONNX Runtime does.
                if (requested) extra[i] += Math.Max(0, size[i] - full[i]);
                else size[i] = full[i] - total;
            }
        }
        else size = [full[0] - pads[0] - pads[2], full[1] - pads[1] - pads[3]];
        if (size.Any(s => s < 1)) throw c.Unsupported($"pads {Shapes.Format(pads)} leave no output of input {Shapes.Format(input)}");
        return (kernel, strides, pads, dilations, extra, [input[0], weight[1] * group, size[0], size[1]]);
    }

    public Node Canonical(OpContext c)
    {
        var (kernel, strides, pads, dilations, extra, _) = Plan(c);
        var attributes = c.Node.Attributes.Where(a => a.Key is not ("auto_pad" or "output_shape")).ToDictionary(a => a.Key, a => a.Value);
        attributes["kernel_shape"] = kernel;
        attributes["strides"] = strides;
        attributes["pads"] = pads;
        attributes["dilations"] = dilations;
        attributes["output_padding"] = extra;
        return c.Node with { Attributes = attributes };
    }

    public int[][] InferShapes(OpContext c) => [Plan(c).Output];

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var (kernel, strides, pads, dilations, _, output) = Plan(c);
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
