using Tessel.Graph.Operators;

namespace Tessel.Graph;

/// <summary>Makes a graph static, node by node in topological order: infers every tensor's shape, writes
/// nodes in canonical form (auto_pad as pads), and folds every node whose inputs are all known at load
/// time — the Shape / Gather / Cast / Concat arithmetic exporters emit in front of a Reshape — into a
/// constant. An op it does not know, or a node that reads a tensor nothing produces, is an error naming
/// the node, its op type and the opset.</summary>
public static class ShapeInference
{
    public sealed record Resolution(Dictionary<string, int[]> Shapes, List<Node> Nodes, List<Initializer> Folded);

    public static Resolution Resolve(string model, IReadOnlyDictionary<string, int[]> inputs, IReadOnlyDictionary<string, Initializer> initializers,
        IReadOnlyList<Node> nodes, IReadOnlyList<string> outputs, int opset)
    {
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (name, shape) in inputs) shapes[name] = shape;
        foreach (var (name, init) in initializers) shapes[name] = init.Shape;
        var folded = new Dictionary<string, Initializer>(StringComparer.Ordinal);
        var kept = new List<Node>();
        foreach (var raw in nodes)
        {
            var inputShapes = raw.Inputs.Select(i => i.Length == 0 ? [] : shapes.TryGetValue(i, out var s) ? s
                : throw new NotSupportedException($"{model}: {raw} reads '{i}', which no input, weight or earlier node produces")).ToArray();
            float[]? Constant(string name) =>
                initializers.TryGetValue(name, out var w) ? w.Values : folded.TryGetValue(name, out var f) ? f.Values : null;
            var op = OperatorRegistry.Find(raw.OpType)
                ?? throw new NotSupportedException($"{model}: {raw} (opset {opset}): op type '{raw.OpType}' is not supported");
            var context = new OpContext(model, raw, inputShapes, i => Constant(raw.Inputs[i]), opset);
            var node = op.Canonical(context);
            if (!ReferenceEquals(node, raw)) context = new OpContext(model, node, inputShapes, i => Constant(node.Inputs[i]), opset);
            int[][] produced;
            try { produced = op.InferShapes(context); }
            catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or InvalidCastException or OverflowException)
            {
                throw context.Unsupported($"malformed inputs or attributes ({e.Message})");
            }
            for (var i = 0; i < produced.Length && i < node.Outputs.Count; i++)
                if (node.Outputs[i].Length > 0) shapes[node.Outputs[i]] = produced[i];

            var present = node.Inputs.Where(i => i.Length > 0).ToArray();
            if (node.OpType == "Shape" || present.Length > 0 && present.All(i => Constant(i) is not null) && node.OpType is not ("Conv" or "ConvTranspose"))
            {
                var results = produced.Select(s => new float[Shapes.Size(s)]).ToArray();
                var inputValues = node.Inputs.Select(i => i.Length == 0 ? [] : Constant(i) ?? []).ToArray();
                op.Bind(context, inputValues, results)();
                for (var i = 0; i < results.Length && i < node.Outputs.Count; i++)
                {
                    var values = results[i];
                    folded[node.Outputs[i]] = new Initializer(node.Outputs[i], produced[i], () => values);
                }
                continue;
            }
            kept.Add(node);
        }
        foreach (var output in outputs)
            if (!shapes.ContainsKey(output)) throw new NotSupportedException($"{model}: output '{output}' is never produced");
        return new Resolution(shapes, kept, folded.Values.ToList());
    }

    /// <summary>The output shapes of one node, given its input shapes and a lookup of constant inputs.</summary>
    public static int[][] OutputShapes(string model, Node node, int[][] inputs, Func<string, float[]?> constant, int opset)
    {
        var op = OperatorRegistry.Find(node.OpType) ?? throw new NotSupportedException($"{model}: {node}: op type '{node.OpType}' is not supported");
        return op.InferShapes(new OpContext(model, node, inputs, i => constant(node.Inputs[i]), opset));
    }
}
