using Tessel.Deployment;
using Tessel.Graph;
using Tessel.Planning;
using Tessel.Runtime;

namespace Tessel.Tests.Support;

/// <summary>A compiled model written out as an artifact (<see cref="ArtifactBuilder"/>), loaded back by the runtime
/// library and run on the graph's sample input: what a deployed app would compute.</summary>
public static class ArtifactRoundTrip
{
    /// <summary>The loaded artifact's output <paramref name="output"/> for <see cref="CompiledModel.SampleInput"/>.</summary>
    internal static float[] Run(CompiledModel model, ModelGraph graph, string output)
    {
        var directory = Directory.CreateTempSubdirectory($"tessel-{graph.Name}-").FullName;
        try
        {
            ArtifactBuilder.Write(model, $"{graph.Name}.onnx", directory);
            using var loaded = TesselModel.Load(directory);
            return loaded.Run(new Dictionary<string, float[]> { [loaded.Inputs[0].Name] = CompiledModel.SampleInput(graph) })[output];
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
