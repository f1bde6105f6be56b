using Tessel.Graph.Operators;

namespace Tessel.Planning.Fusion;

/// <summary>A BatchNormalization after a conv folds into its weights and bias: w' = w * s, b' = (b - mean) * s + beta,
/// s = gamma / sqrt(var + eps).</summary>
internal sealed class BatchNormFolding : IFusionPass
{
    public void Apply(FusedNode node, FusionContext context)
    {
        if (!node.IsConv || context.Epilogues.SoleReader(node.Last.Outputs[0]) is not { OpType: "BatchNormalization" } bn) return;
        var (scale, shift) = BatchNormalization.ScaleShift(bn, context.Weights(bn.Inputs[1]), context.Weights(bn.Inputs[2]),
            context.Weights(bn.Inputs[3]), context.Weights(bn.Inputs[4]));
        var bias = node.BiasOrZeros();
        var per = node.Weight.Length / scale.Length;
        for (var c = 0; c < scale.Length; c++)
        {
            for (var i = 0; i < per; i++) node.Weight[c * per + i] *= scale[c];
            bias[c] = bias[c] * scale[c] + shift[c];
        }
        node.Absorb(bn);
    }
}
