namespace Tessel.Graph.Operators;

/// <summary>The sliding-window attributes of 2-D convs and pools (kernel, strides, pads as top, left, bottom,
/// right, dilations), with <c>auto_pad</c> turned into explicit pads as ONNX defines it.</summary>
public sealed record WindowAttributes(int[] Kernel, int[] Strides, int[] Pads, int[] Dilations)
{
    public static WindowAttributes Of(OpContext c, int[] kernel)
    {
        var input = c.Shape(0);
        if (input.Length != 4) throw c.Unsupported($"only 2-D windows (NCHW input) are supported, the input is {Shapes.Format(input)}");
        var strides = c.Node.Ints("strides", [1, 1]);
        var dilations = c.Node.Ints("dilations", [1, 1]);
        var pads = c.Node.Ints("pads", [0, 0, 0, 0]);
        var mode = c.Node.Attributes.TryGetValue("auto_pad", out var m) ? (string)m : "NOTSET";
        if (mode is "SAME_UPPER" or "SAME_LOWER")
        {
            pads = new int[4];
            for (var i = 0; i < 2; i++)
            {
                var output = (input[2 + i] + strides[i] - 1) / strides[i];
                var total = Math.Max(0, (output - 1) * strides[i] + dilations[i] * (kernel[i] - 1) + 1 - input[2 + i]);
                var small = total / 2;
                (pads[i], pads[2 + i]) = mode == "SAME_UPPER" ? (small, total - small) : (total - small, small);
            }
        }
        else if (mode == "VALID") pads = [0, 0, 0, 0];
        else if (mode != "NOTSET") throw c.Unsupported($"auto_pad '{mode}'");
        return new WindowAttributes(kernel, strides, pads, dilations);
    }

    public int OutputHeight(int height, bool ceil = false) => Window.Output(height, Kernel[0], Strides[0], Pads[0] + Pads[2], Dilations[0], ceil);

    public int OutputWidth(int width, bool ceil = false) => Window.Output(width, Kernel[1], Strides[1], Pads[1] + Pads[3], Dilations[1], ceil);

    /// <summary>The node with these attributes written out and no auto_pad, so later passes read plain pads.</summary>
    public Node Apply(Node node)
    {
        var attributes = node.Attributes.Where(a => a.Key != "auto_pad").ToDictionary(a => a.Key, a => a.Value);
        attributes["kernel_shape"] = Kernel;
        attributes["strides"] = Strides;
        attributes["pads"] = Pads;
        // AveragePool takes dilations only from opset 19: write them only where they mean something.
        if (node.Attributes.ContainsKey("dilations") || Dilations.Any(d => d != 1)) attributes["dilations"] = Dilations;
        return node with { Attributes = attributes };
    }
}
