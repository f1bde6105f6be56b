namespace Tessel.Planning.Fusion;

/// <summary>A dense layer's bias exported as a separate Add (MatMul + Add) joins the layer's epilogue.</summary>
internal sealed class DenseBiasFolding : IFusionPass
{
    public void Apply(FusedNode node, FusionContext context)
    {
        var graph = context.Graph;
        if (node.IsConv || node.Bias is not null
            || context.Epilogues.SoleReader(node.Last.Outputs[0]) is not { OpType: "Add" } add
            || add.Inputs.Count(graph.Initializers.ContainsKey) != 1
            || graph.Initializers[add.Inputs.Single(graph.Initializers.ContainsKey)] is not { } addend || addend.Elements != node.Channels
            || !graph.Shape(add.Outputs[0]).SequenceEqual(node.OutShape))
            return;
        node.Bias = addend.Values;
        node.Absorb(add);
    }
}
