namespace Tessel.Graph;

/// <summary>A model with static shapes: named inputs, constant initializers, operators in topological
/// order, named outputs, and the shape of every tensor (inferred when the graph is made).</summary>
public sealed class ModelGraph
{
    public ModelGraph(string name, IReadOnlyDictionary<string, int[]> inputs, IReadOnlyList<Initializer> initializers,
        IReadOnlyList<Node> nodes, IReadOnlyList<string> outputs)
    {
        Name = name;
        Inputs = inputs;
        Initializers = initializers.ToDictionary(i => i.Name);
        Nodes = nodes;
        Outputs = outputs;
        Shapes = ShapeInference.Infer(this);
    }

    public string Name { get; }
    public IReadOnlyDictionary<string, int[]> Inputs { get; }
    public IReadOnlyDictionary<string, Initializer> Initializers { get; }
    public IReadOnlyList<Node> Nodes { get; }
    public IReadOnlyList<string> Outputs { get; }
    public IReadOnlyDictionary<string, int[]> Shapes { get; }

    public int[] Shape(string tensor) =>
        Shapes.TryGetValue(tensor, out var s) ? s : throw new KeyNotFoundException($"{Name}: no tensor named '{tensor}'");
}
