using Tessel.Graph;
using Tessel.Runtime.Steps;

namespace Tessel.Planning;

/// <summary>Finds the activation that follows a producer (a conv, a dense layer, a residual Add) and can run
/// in its epilogue: a single activation node, or the decompositions exporters write for hard swish
/// (<c>x * clip(x + 3, 0, 6) / 6</c>, <c>x * hardsigmoid(x)</c>) and swish (<c>x * sigmoid(x)</c>). A match
/// requires every intermediate tensor to have no reader outside the pattern.</summary>
internal sealed class EpilogueMatcher(ModelGraph graph)
{
    private readonly Dictionary<string, List<Node>> readers = graph.Nodes
        .SelectMany(n => n.Inputs.Where(i => i.Length > 0).Distinct().Select(i => (i, n)))
        .GroupBy(p => p.i).ToDictionary(g => g.Key, g => g.Select(p => p.n).ToList());

    private readonly HashSet<string> outputs = graph.Outputs.ToHashSet();

    public sealed record Match(Activation Activation, Node Last, IReadOnlyList<Node> Absorbed);

    /// <summary>The one node reading <paramref name="tensor"/>, when it is not also a model output.</summary>
    public Node? SoleReader(string tensor) =>
        !outputs.Contains(tensor) && readers.TryGetValue(tensor, out var list) && list.Count == 1 ? list[0] : null;

    public Match? After(Node producer)
    {
        var x = producer.Outputs[0];
        if (outputs.Contains(x) || !readers.TryGetValue(x, out var next)) return null;
        if (next.Count == 1 && Single(next[0]) is { } single) return new Match(single, next[0], [next[0]]);
        if (next.Count != 2) return null;
        // x feeds a gate and the Mul that applies it: x * gate(x).
        var muls = next.Where(n => n.OpType == "Mul" && n.Inputs.Count(i => i == x) == 1).ToList();
        if (muls.Count != 1) return null;
        var mul = muls[0];
        var gate = next[0] == mul ? next[1] : next[0];
        if (gate.OpType is "Sigmoid" or "HardSigmoid" && SoleReader(gate.Outputs[0]) != mul) return null;
        if (gate.OpType == "Sigmoid") return new Match(new Activation(Activation.Kinds.Swish), mul, [gate, mul]);
        if (gate.OpType == "HardSigmoid")
            return new Match(new Activation(Activation.Kinds.HardSwish, gate.Float("alpha", 0.2f), gate.Float("beta", 0.5f)), mul, [gate, mul]);
        // clip(x + 3, 0, 6) * x / 6: the Add and Clip are the gate, the Div (or Mul by 1/6) scales after.
        if (gate.OpType == "Add" && Scalar(gate, x) == 3 && SoleReader(gate.Outputs[0]) is { OpType: "Clip" } clip
            && SoleReader(clip.Outputs[0]) == mul && Single(clip) is { Kind: Activation.Kinds.Clamp, A: 0, B: 6 }
            && SoleReader(mul.Outputs[0]) is { } scale
            && (scale.OpType == "Div" && Scalar(scale, mul.Outputs[0]) == 6 || scale.OpType == "Mul" && Math.Abs(Scalar(scale, mul.Outputs[0]) - 1 / 6f) < 1e-6))
            return new Match(new Activation(Activation.Kinds.HardSwish, 1 / 6f, 0.5f), scale, [gate, clip, mul, scale]);
        return null;
    }

    /// <summary>A one-node activation: Relu, Clip with constant bounds, LeakyRelu, HardSigmoid, HardSwish, Sigmoid.</summary>
    private Activation? Single(Node node) => node.OpType switch
    {
        "Relu" => Activation.Relu,
        "Clip" => Bound(node, 1, "min", float.NegativeInfinity) is { } min && Bound(node, 2, "max", float.PositiveInfinity) is { } max
            ? Activation.Clamp(min, max) : null,
        "LeakyRelu" => new Activation(Activation.Kinds.Leaky, node.Float("alpha", 0.01f)),
        "HardSigmoid" => new Activation(Activation.Kinds.HardSigmoid, node.Float("alpha", 0.2f), node.Float("beta", 0.5f)),
        "HardSwish" => new Activation(Activation.Kinds.HardSwish, 1 / 6f, 0.5f),
        "Sigmoid" => new Activation(Activation.Kinds.Sigmoid),
        _ => null,
    };

    /// <summary>Clip's bound: an input from opset 11 (must be a constant), an attribute before.</summary>
    private float? Bound(Node clip, int input, string attribute, float fallback) =>
        clip.Inputs.Count > input && clip.Inputs[input].Length > 0
            ? graph.Initializers.TryGetValue(clip.Inputs[input], out var w) ? w.Values[0] : null
            : clip.Float(attribute, fallback);

    /// <summary>The node after <paramref name="node"/> when it only multiplies or shifts it by a constant scalar
    /// and is its sole reader, with that scalar: a part of a kernel's affine tail (<paramref name="shape"/>, the
    /// kernel's output shape, is kept).</summary>
    public (Node Node, float Scalar)? ScalarAffineAfter(Node node, int[] shape) =>
        SoleReader(node.Outputs[0]) is { OpType: "Mul" or "Add" } next && Scalar(next, node.Outputs[0]) is var k && !float.IsNaN(k)
            && graph.Shape(next.Outputs[0]).SequenceEqual(shape) ? (next, k) : null;

    /// <summary>The value of a binary node's other input when it is a constant scalar, else NaN.</summary>
    private float Scalar(Node binary, string tensor)
    {
        var other = binary.Inputs.FirstOrDefault(i => i != tensor);
        return binary.Inputs.Count == 2 && binary.Inputs[0] != binary.Inputs[1] && other is not null
            && graph.Initializers.TryGetValue(other, out var w) && w.Elements == 1 && (binary.OpType != "Div" || binary.Inputs[1] == other) ? w.Values[0] : float.NaN;
    }
}
