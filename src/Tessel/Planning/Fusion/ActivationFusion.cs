namespace Tessel.Planning.Fusion;

/// <summary>The activation after the node (a single op or an exporter's decomposition, <see cref="EpilogueMatcher"/>)
/// becomes the node's: fused into the kernel's stores where its template can, else run by its step right after.</summary>
internal sealed class ActivationFusion : IFusionPass
{
    public void Apply(FusedNode node, FusionContext context)
    {
        if (context.Epilogues.After(node.Last) is not { } fused) return;
        node.Activation = fused.Activation;
        node.Absorb(fused.Absorbed, fused.Last);
    }
}
