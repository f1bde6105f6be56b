using Tessel.Graph;
using Tessel.Runtime.Steps;

namespace Tessel.Planning.Fusion;

/// <summary>A tuned node (a conv or a dense layer) as the fusion passes grow it: its weight and bias with neighbours
/// folded in, the activation its epilogue runs, the last node it absorbed (whose output it now writes) and every node
/// absorbed on the way.</summary>
internal sealed class FusedNode(Node node, bool isConv, float[] weight, float[]? bias, int[] outShape)
{
    public Node Node { get; } = node;

    /// <summary>A conv (weights folded per output channel); else a dense layer.</summary>
    public bool IsConv { get; } = isConv;

    /// <summary>Empty when only the kernel choices are planned: nothing is folded then.</summary>
    public float[] Weight { get; } = weight;

    public float[]? Bias { get; set; } = bias;

    public int[] OutShape { get; } = outShape;

    /// <summary>Output channels: dim 1 of a conv's output, the last dim of a dense layer's.</summary>
    public int Channels => IsConv ? OutShape[1] : OutShape[^1];

    public Node Last { get; private set; } = node;

    public Activation Activation { get; set; } = Activation.None;

    public List<Node> Absorbed { get; } = [];

    /// <summary>Records that <paramref name="next"/> now runs inside this node.</summary>
    public void Absorb(Node next) => Absorb([next], next);

    /// <summary>Records that <paramref name="nodes"/> now run inside this node, <paramref name="last"/> writing its output.</summary>
    public void Absorb(IEnumerable<Node> nodes, Node last)
    {
        Absorbed.AddRange(nodes);
        Last = last;
    }

    /// <summary>The bias, created as zeros where the node had none.</summary>
    public float[] BiasOrZeros() => Bias ??= new float[Channels];
}
