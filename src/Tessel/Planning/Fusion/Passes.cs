namespace Tessel.Planning.Fusion;

/// <summary>The fusion passes in the order they run on every tuned node: weights and bias first (so an activation
/// after them still fuses), the activation last.</summary>
internal static class Passes
{
    public static IReadOnlyList<IFusionPass> All { get; } =
        [new BatchNormFolding(), new ScalarAffineFolding(), new DenseBiasFolding(), new ActivationFusion()];
}
