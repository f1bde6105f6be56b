namespace Tessel.Graph;

/// <summary>Static shapes of every tensor, node by node in topological order. An op it does not know, or a
/// node that reads a tensor nothing produced, is an error naming the node.</summary>
public static class ShapeInference
{
    public static Dictionary<string, int[]> Infer(ModelGraph graph)
    {
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (name, shape) in graph.Inputs) shapes[name] = shape;
        foreach (var (name, init) in graph.Initializers) shapes[name] = init.Shape;
        foreach (var node in graph.Nodes)
        {
            var inputs = node.Inputs.Where(i => i.Length > 0).Select(i => shapes.TryGetValue(i, out var s)
                ? s : throw new FormatException($"{graph.Name}: {node} reads '{i}', which no input, weight or earlier node produces")).ToArray();
            shapes[node.Outputs[0]] = OutputShape(graph.Name, node, inputs,
                name => graph.Initializers.TryGetValue(name, out var init) ? init.Values : null);
        }
        foreach (var output in graph.Outputs)
            if (!shapes.ContainsKey(output)) throw new FormatException($"{graph.Name}: output '{output}' is never produced");
        return shapes;
    }

    /// <summary>The output shape of one node given its input shapes.</summary>
    public static int[] OutputShape(string model, Node node, int[][] x, Func<string, float[]?>? constant = null)
    {
        int[] ConstantInts(int input) =>
            (constant?.Invoke(node.Inputs[input]) ?? throw new NotSupportedException($"{model}: {node}: input '{node.Inputs[input]}' must be a constant"))
                .Select(v => (int)v).ToArray();
        switch (node.OpType)
        {
            case "Transpose":
            {
                var perm = node.Ints("perm", Enumerable.Range(0, x[0].Length).Reverse().ToArray());
                return perm.Select(p => x[0][p]).ToArray();
            }
            case "Reshape":
            {
                var target = ConstantInts(1);
                var shape = target.Select((d, i) => d == 0 && node.Int("allowzero", 0) == 0 ? x[0][i] : d).ToArray();
                var known = shape.Where(d => d != -1).Aggregate(1L, (a, b) => a * b);
                var total = x[0].Aggregate(1L, (a, b) => a * b);
                return shape.Select(d => d == -1 ? (int)(total / known) : d).ToArray();
            }
            case "ConstantOfShape":
                return ConstantInts(0);
            case "Conv":
            {
                var (k, s, p, d) = Attributes(node, x[1][2], x[1][3]);
                return [x[0][0], x[1][0], Window.Output(x[0][2], k[0], s[0], p[0] + p[2], d[0]), Window.Output(x[0][3], k[1], s[1], p[1] + p[3], d[1])];
            }
            case "MaxPool" or "AveragePool":
            {
                var kernel = node.Ints("kernel_shape", []);
                var (k, s, p, d) = Attributes(node, kernel[0], kernel[1]);
                var ceil = node.Int("ceil_mode", 0) == 1;
                return [x[0][0], x[0][1], Window.Output(x[0][2], k[0], s[0], p[0] + p[2], d[0], ceil), Window.Output(x[0][3], k[1], s[1], p[1] + p[3], d[1], ceil)];
            }
            case "GlobalAveragePool":
                return [x[0][0], x[0][1], 1, 1];
            case "Gemm":
                return [x[0][0], node.Int("transB", 0) == 1 ? x[1][0] : x[1][1]];
            case "Flatten":
                return [x[0][0], x[0].Skip(1).Aggregate(1, (a, b) => a * b)];
            case "Concat":
            {
                var axis = node.Int("axis", 1);
                var shape = (int[])x[0].Clone();
                shape[axis] = x.Sum(s => s[axis]);
                return shape;
            }
            case "Relu" or "BatchNormalization" or "Clip" or "Sigmoid" or "Dropout" or "Identity":
                return x[0];
            case "Add" or "Mul":
                return x[0].Length >= x[1].Length ? x[0] : x[1];
            default:
                throw new NotSupportedException($"{model}: {node}: op type '{node.OpType}' is not supported");
        }
    }

    private static (int[] Kernel, int[] Strides, int[] Pads, int[] Dilations) Attributes(Node node, int kh, int kw) =>
        ([kh, kw], node.Ints("strides", [1, 1]), node.Ints("pads", [0, 0, 0, 0]), node.Ints("dilations", [1, 1]));

}
