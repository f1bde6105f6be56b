namespace Tessel.Planning.Fusion;

/// <summary>One rewrite of a tuned node and its neighbours (ILGPU's one transformation per file): folds what follows
/// it into its weights, bias or epilogue where that computes the same, or leaves it as it is.</summary>
internal interface IFusionPass
{
    void Apply(FusedNode node, FusionContext context);
}
