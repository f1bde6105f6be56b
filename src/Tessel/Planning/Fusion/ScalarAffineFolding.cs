namespace Tessel.Planning.Fusion;

/// <summary>Scalar affines after a conv (PP-LCNetV3's learnable affine blocks: x * s + t) fold into its weights and
/// bias, so the activation after them can still run in the kernel's epilogue.</summary>
internal sealed class ScalarAffineFolding : IFusionPass
{
    public void Apply(FusedNode node, FusionContext context)
    {
        while (node.IsConv && context.Epilogues.ScalarAffineAfter(node.Last, node.OutShape) is var (affine, k))
        {
            var bias = node.BiasOrZeros();
            if (affine.OpType == "Mul")
            {
                for (var i = 0; i < node.Weight.Length; i++) node.Weight[i] *= k;
                for (var c = 0; c < node.Channels; c++) bias[c] *= k;
            }
            else
                for (var c = 0; c < node.Channels; c++) bias[c] += k;
            node.Absorb(affine);
        }
    }
}
