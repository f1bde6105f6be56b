namespace Tessel.Graph;

/// <summary>A model with static shapes: named inputs, constant initializers, operators in topological
/// order, named outputs, and the shape of every tensor. Made static when the graph is made: shapes
/// inferred, shape arithmetic folded into constants (<see cref="ShapeInference"/>), and rewritten where the same result
/// costs less (<see cref="Rewrites.PoolBeforePointwiseConv"/>).</summary>
public sealed class ModelGraph
{
    public ModelGraph(string name, IReadOnlyDictionary<string, int[]> inputs, IReadOnlyList<Initializer> initializers,
        IReadOnlyList<Node> nodes, IReadOnlyList<string> outputs, int opset = 17)
    {
        Name = name;
        Inputs = inputs;
        Outputs = outputs;
        Opset = opset;
        SourceNodes = nodes;
        SourceInitializers = initializers;
        var weights = initializers.ToDictionary(i => i.Name);
        var resolution = ShapeInference.Resolve(name, inputs, weights, nodes, outputs, opset);
        foreach (var constant in resolution.Folded) weights[constant.Name] = constant;
        Initializers = weights;
        Nodes = Rewrites.PoolBeforePointwiseConv.Apply(resolution.Nodes, resolution.Shapes, outputs.ToHashSet());
        Shapes = resolution.Shapes;
    }

    public string Name { get; }
    public IReadOnlyDictionary<string, int[]> Inputs { get; }
    public IReadOnlyDictionary<string, Initializer> Initializers { get; }
    public IReadOnlyList<Node> Nodes { get; }
    public IReadOnlyList<string> Outputs { get; }
    public IReadOnlyDictionary<string, int[]> Shapes { get; }

    /// <summary>The nodes and weights as the model defined them, before folding: what an export writes.</summary>
    public IReadOnlyList<Node> SourceNodes { get; }
    public IReadOnlyList<Initializer> SourceInitializers { get; }

    /// <summary>The ONNX opset the nodes are written for (ops such as Softmax and Clip changed form across opsets).</summary>
    public int Opset { get; }

    public int[] Shape(string tensor) =>
        Shapes.TryGetValue(tensor, out var s) ? s : throw new KeyNotFoundException($"{Name}: no tensor named '{tensor}'");
}
