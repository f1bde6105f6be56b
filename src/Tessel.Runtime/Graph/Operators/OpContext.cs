namespace Tessel.Graph.Operators;

/// <summary>What an operator sees of one node: its attributes, its inputs' shapes, the values of inputs that
/// are constant, the opset the model was written for (several ops changed form across opsets), and the threads
/// a bound op may use.</summary>
public sealed class OpContext(string model, Node node, int[][] inputs, Func<int, float[]?> constant, int opset, int threads = 1)
{
    public Node Node { get; } = node;

    public int Threads { get; } = Math.Max(1, threads);

    /// <summary>Input shapes in order; an absent optional input has an empty shape.</summary>
    public int[][] Inputs { get; } = inputs;

    public int Opset { get; } = opset;

    public int[] Shape(int input) => Inputs[input];

    public bool Has(int input) => input < Node.Inputs.Count && Node.Inputs[input].Length > 0;

    /// <summary>The values of a constant input (a weight, or folded shape arithmetic), or null.</summary>
    public float[]? Constant(int input) => Has(input) ? constant(input) : null;

    /// <summary>An input that must be known at load time (a Reshape target, Slice starts ...), as ints.</summary>
    public int[] ConstantInts(int input) =>
        (Constant(input) ?? throw Unsupported($"input '{Node.Inputs[input]}' must be constant once the input shapes are fixed, but it is computed from data"))
            .Select(Shapes.ToInt).ToArray();

    /// <summary>An int list that new opsets take as an input and old ones as an attribute (Slice, Squeeze, Pad ...).</summary>
    public int[]? IntsFrom(int input, string attribute) =>
        Has(input) ? ConstantInts(input) : Node.Attributes.ContainsKey(attribute) ? Node.Ints(attribute, []) : null;

    /// <summary>A scalar that new opsets take as an input and old ones as an attribute (Clip's bounds).</summary>
    public float? FloatFrom(int input, string attribute) =>
        Has(input) ? (Constant(input) ?? throw Unsupported($"input '{Node.Inputs[input]}' must be constant"))[0]
            : Node.Attributes.ContainsKey(attribute) ? Node.Float(attribute, 0) : null;

    public NotSupportedException Unsupported(string what) => new($"{model}: {Node} (opset {Opset}): {what}");
}
