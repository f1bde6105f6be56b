namespace Tessel.Graph;

/// <summary>Builds a <see cref="ModelGraph"/> layer by layer, the way model zoos define networks: each call
/// adds an ONNX-style node and returns its output tensor's name. Weights are random (fixed seed), made on demand.</summary>
public sealed class GraphBuilder(string name, int seed = 0)
{
    private readonly Dictionary<string, int[]> inputs = new(StringComparer.Ordinal);
    private readonly List<Initializer> initializers = [];
    private readonly List<Node> nodes = [];
    private readonly Dictionary<string, int[]> shapes = new(StringComparer.Ordinal);
    private int counter;

    public string Input(string tensor, int[] shape)
    {
        inputs[tensor] = shape;
        shapes[tensor] = shape;
        return tensor;
    }

    public int[] Shape(string tensor) => shapes[tensor];

    public int Channels(string tensor) => shapes[tensor][1];

    public string Conv(string x, int channels, int kernel, int stride = 1, int pad = 0, int groups = 1, bool bias = false, int dilation = 1) =>
        Conv(x, channels, [kernel, kernel], [stride, stride], [pad, pad, pad, pad], groups, bias, dilation);

    public string Conv(string x, int channels, int[] kernel, int[] strides, int[] pads, int groups = 1, bool bias = false, int dilation = 1)
    {
        var c = Channels(x);
        var fanIn = c / groups * kernel[0] * kernel[1];
        var w = Weight("weight", [channels, c / groups, kernel[0], kernel[1]], MathF.Sqrt(6f / fanIn));
        var ins = bias ? new[] { x, w, Weight("bias", [channels], 0.1f) } : [x, w];
        return Add("Conv", ins, new()
        {
            ["kernel_shape"] = kernel, ["strides"] = strides, ["pads"] = pads, ["dilations"] = new[] { dilation, dilation }, ["group"] = groups,
        });
    }

    /// <summary>A transposed conv (ONNX ConvTranspose): weight [C_in, channels / groups, k, k]; output size
    /// stride * (in - 1) + output_padding + dilation * (k - 1) + 1 - 2 * pad.</summary>
    public string ConvTranspose(string x, int channels, int kernel, int stride = 1, int pad = 0, int outputPadding = 0, int groups = 1,
        bool bias = false, int dilation = 1)
    {
        var c = Channels(x);
        // Each output pixel sums about (kernel / stride)^2 taps of each input channel in its group.
        var fanIn = Math.Max(1, c / groups * kernel * kernel / (stride * stride));
        var w = Weight("weight", [c, channels / groups, kernel, kernel], MathF.Sqrt(6f / fanIn));
        var ins = bias ? new[] { x, w, Weight("bias", [channels], 0.1f) } : [x, w];
        var attributes = new Dictionary<string, object>
        {
            ["kernel_shape"] = new[] { kernel, kernel }, ["strides"] = new[] { stride, stride }, ["pads"] = new[] { pad, pad, pad, pad },
            ["output_padding"] = new[] { outputPadding, outputPadding }, ["group"] = groups,
        };
        if (dilation != 1) attributes["dilations"] = new[] { dilation, dilation };
        return Add("ConvTranspose", ins, attributes);
    }

    /// <summary>Batch normalisation with random statistics near the identity.</summary>
    public string BatchNorm(string x)
    {
        var c = Channels(x);
        var scale = initializers.Count;
        var ins = new[]
        {
            x,
            Constant("gamma", [c], () => Fill(c, seed + scale, 0.8f, 1.2f)),
            Constant("beta", [c], () => Fill(c, seed + scale + 1, -0.1f, 0.1f)),
            Constant("mean", [c], () => Fill(c, seed + scale + 2, -0.1f, 0.1f)),
            Constant("var", [c], () => Fill(c, seed + scale + 3, 0.5f, 1.5f)),
        };
        return Add("BatchNormalization", ins, new() { ["epsilon"] = 1e-5f });
    }

    public string Relu(string x) => Add("Relu", [x], []);

    /// <summary>ReLU6 as opset-11+ Clip: min and max are constant inputs, not attributes.</summary>
    public string Relu6(string x) => Add("Clip", [x, Constant("min", [], () => [0f]), Constant("max", [], () => [6f])], []);

    public string LeakyRelu(string x, float alpha) => Add("LeakyRelu", [x], new() { ["alpha"] = alpha });

    public string Sum(string a, string b) => Add("Add", [a, b], []);

    /// <summary>Nearest-neighbour upsampling by an integer factor in H and W (each pixel repeated), as Resize.</summary>
    public string Upsample(string x, int factor) =>
        Add("Resize", [x, "", Constant("scales", [4], () => [1f, 1f, factor, factor])],
            new() { ["mode"] = "nearest", ["coordinate_transformation_mode"] = "asymmetric", ["nearest_mode"] = "floor" });

    public string Transpose(string x, params int[] perm) => Add("Transpose", [x], new() { ["perm"] = perm });

    /// <summary>Reshape to a stored int64 target (0 copies a dim, -1 takes the rest).</summary>
    public string Reshape(string x, params int[] shape) =>
        Add("Reshape", [x, Constant("shape", [shape.Length], () => shape.Select(d => (float)d).ToArray(), integer: true)], []);

    public string ConcatOn(int axis, params string[] xs) => Add("Concat", xs, new() { ["axis"] = axis });

    public string MaxPool(string x, int kernel, int stride, int pad = 0, bool ceil = false) =>
        Add("MaxPool", [x], new() { ["kernel_shape"] = new[] { kernel, kernel }, ["strides"] = new[] { stride, stride }, ["pads"] = new[] { pad, pad, pad, pad }, ["ceil_mode"] = ceil ? 1 : 0 });

    public string AvgPool(string x, int kernel, int stride, int pad = 0, bool ceil = false) =>
        Add("AveragePool", [x], new() { ["kernel_shape"] = new[] { kernel, kernel }, ["strides"] = new[] { stride, stride }, ["pads"] = new[] { pad, pad, pad, pad }, ["ceil_mode"] = ceil ? 1 : 0 });

    public string GlobalAvgPool(string x) => Add("GlobalAveragePool", [x], []);

    public string Flatten(string x) => Add("Flatten", [x], new() { ["axis"] = 1 });

    public string Concat(params string[] xs) => ConcatOn(1, xs);

    /// <summary>A fully connected layer as Gemm with transB = 1: weight [units, in], bias [units].</summary>
    public string Dense(string x, int units)
    {
        var k = Shape(x)[1];
        return Add("Gemm", [x, Weight("weight", [units, k], MathF.Sqrt(6f / k)), Weight("bias", [units], 0.1f)], new() { ["transB"] = 1 });
    }

    public ModelGraph Build(params string[] outputs) => new(name, inputs, initializers, nodes, outputs);

    private string Weight(string kind, int[] shape, float scale)
    {
        var tensor = $"{kind}_{counter}_{initializers.Count}";
        var init = Initializer.Random(tensor, shape, seed * 7919 + initializers.Count, scale);
        initializers.Add(init);
        shapes[tensor] = shape;
        return tensor;
    }

    private string Constant(string kind, int[] shape, Func<float[]> values, bool integer = false)
    {
        var tensor = $"{kind}_{counter}_{initializers.Count}";
        initializers.Add(new Initializer(tensor, shape, values, integer));
        shapes[tensor] = shape;
        return tensor;
    }

    private static float[] Fill(int n, int seed, float lo, float hi)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => lo + r.NextSingle() * (hi - lo)).ToArray();
    }

    private string Add(string op, string[] ins, Dictionary<string, object> attributes)
    {
        var id = counter++;
        var output = $"{op.ToLowerInvariant()}{id}";
        var node = new Node(op, $"{op}_{id}", ins, [output], attributes);
        nodes.Add(node);
        // Shapes as the graph will infer them, so later layers can read their input's channels.
        shapes[output] = ShapeInference.OutputShapes(name, node, ins.Select(i => i.Length == 0 ? [] : shapes[i]).ToArray(),
            t => initializers.FirstOrDefault(w => w.Name == t)?.Values, 17)[0];
        return output;
    }
}
