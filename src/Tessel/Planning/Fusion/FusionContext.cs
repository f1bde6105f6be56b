using Tessel.Graph;

namespace Tessel.Planning.Fusion;

/// <summary>What the fusion passes read of the graph: who reads a tensor (<see cref="EpilogueMatcher"/>) and the
/// constant weights.</summary>
internal sealed class FusionContext(ModelGraph graph, EpilogueMatcher epilogues)
{
    public ModelGraph Graph { get; } = graph;

    public EpilogueMatcher Epilogues { get; } = epilogues;

    public float[] Weights(string name) =>
        Graph.Initializers.TryGetValue(name, out var init) ? init.Values
            : throw new NotSupportedException($"{Graph.Name}: '{name}' must be a constant weight");
}
