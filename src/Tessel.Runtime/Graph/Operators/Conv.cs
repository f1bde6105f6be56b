namespace Tessel.Graph.Operators;

/// <summary>2-D Conv (groups, dilations, asymmetric pads, auto_pad, bias). Convs run as tuned kernels; this
/// plain direct form is the fallback for one whose weight is not constant, and the oracle in tests.</summary>
public sealed class Conv : IOperator
{
    public static readonly Conv Instance = new();

    public static WindowAttributes Window(OpContext c) => WindowAttributes.Of(c, c.Shape(1) is { Length: 4 } w ? [w[2], w[3]] : throw c.Unsupported("only 2-D convs (4-D weights) are supported"));

    public Node Canonical(OpContext c) => Window(c).Apply(c.Node);

    public int[][] InferShapes(OpContext c)
    {
        var (input, weight) = (c.Shape(0), c.Shape(1));
        var group = c.Node.Int("group", 1);
        if (input[1] != weight[1] * group || weight[0] % group != 0)
            throw c.Unsupported($"Conv weight {Shapes.Format(weight)} with group {group} does not fit input {Shapes.Format(input)}");
        var w = Window(c);
        return [[input[0], weight[0], w.OutputHeight(input[2]), w.OutputWidth(input[3])]];
    }

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var (input, weight, output) = (c.Shape(0), c.Shape(1), InferShapes(c)[0]);
        var (kernel, strides, pads, dilations) = Window(c);
        var group = c.Node.Int("group", 1);
        int icg = weight[1], ocg = weight[0] / group;
        var (x, w, y) = (inputs[0], inputs[1], outputs[0]);
        var bias = c.Has(2) ? inputs[2] : null;
        return () =>
        {
            for (var n = 0; n < output[0]; n++)
            for (var oc = 0; oc < output[1]; oc++)
            for (var oy = 0; oy < output[2]; oy++)
            for (var ox = 0; ox < output[3]; ox++)
            {
                var sum = bias?[oc] ?? 0f;
                var g = oc / ocg;
                for (var ic = 0; ic < icg; ic++)
                for (var ky = 0; ky < kernel[0]; ky++)
                {
                    var iy = oy * strides[0] - pads[0] + ky * dilations[0];
                    if (iy < 0 || iy >= input[2]) continue;
                    for (var kx = 0; kx < kernel[1]; kx++)
                    {
                        var ix = ox * strides[1] - pads[1] + kx * dilations[1];
                        if (ix < 0 || ix >= input[3]) continue;
                        sum += x[((n * input[1] + g * icg + ic) * input[2] + iy) * input[3] + ix] * w[((oc * icg + ic) * kernel[0] + ky) * kernel[1] + kx];
                    }
                }
                y[((n * output[1] + oc) * output[2] + oy) * output[3] + ox] = sum;
            }
        };
    }
}
