using System.Text.Json.Nodes;
using Tessel.Deployment;
using Tessel.Graph.Onnx;
using Tessel.Planning;
using Tessel.Records;
using Tessel.Runtime;
using Tessel.Runtime.Artifacts;
using Tessel.Tasks;
using Tessel.Tests.Support;
using Tessel.Workloads;

namespace Tessel.Tests.Deployment;

/// <summary>A model built into an artifact and loaded by the runtime library computes what the compiled model
/// computes, says where its kernels came from, and is refused whole, with a message naming why, where its files
/// are missing or altered, its format is newer, or this CPU lacks what its kernels need.</summary>
public sealed class ArtifactTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessel-artifact-").FullName;
    private readonly string source = TestData.Model("blazeface-front-128.onnx");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private (CompiledModel Model, ArtifactManifest Manifest) Build(HistoryBest? history = null)
    {
        var model = CompiledModel.Compile(OnnxImport.Load(source), history, threads: 1);
        return (model, ArtifactBuilder.Write(model, source, directory));
    }

    [Fact]
    public void A_loaded_artifact_computes_what_the_compiled_model_computes()
    {
        var graph = OnnxImport.Load(source);
        var task = TaskExtraction.Extract(graph, Target.Host).First(t => !t.Alternative).Task;
        var (compiled, manifest) = Build(new HistoryBest([LoggedRecords.Logged(task, task.DefaultConfig, 1.25e-4)]));
        Assert.Contains(manifest.Kernels, k => k.Workload == task.Workload.Key && k.TunedSeconds == 1.25e-4);
        Assert.Contains(manifest.Kernels, k => k.TunedSeconds is null);
        Assert.True(File.Exists(Path.Combine(directory, ArtifactFiles.KernelSources, manifest.Kernels[0].ClassName + ".cs")));
        Assert.Equal(graph.Outputs, manifest.Outputs.Select(o => o.Name));

        var data = CompiledModel.SampleInput(graph);
        var expected = compiled.Run(data);
        using var model = TesselModel.Load(directory);
        Assert.Equal(1, model.Threads);
        var outputs = model.Run(new Dictionary<string, float[]> { [model.Inputs[0].Name] = data });
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], outputs[graph.Outputs[i]]);
        var first = new float[model.Outputs[0].Length];
        model.Run(data, first);
        Assert.Equal(expected[0], first);
    }

    [Fact]
    public void Runs_from_several_threads_at_once_each_get_the_whole_answer()
    {
        var (compiled, _) = Build();
        var data = CompiledModel.SampleInput(compiled.Graph);
        var expected = compiled.Run(data)[0];
        using var model = TesselModel.Load(directory);
        var results = new float[4][];
        Parallel.For(0, results.Length, i =>
        {
            var output = new float[model.Outputs[0].Length];
            for (var r = 0; r < 5; r++) model.Run(data, output);
            results[i] = output;
        });
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Wrong_inputs_are_named_and_a_disposed_model_says_so()
    {
        Build();
        var model = TesselModel.Load(directory);
        var input = model.Inputs[0];
        var output = new float[model.Outputs[0].Length];
        var shortInput = Assert.Throws<ArgumentException>(() => model.Run(new float[input.Length - 1], output));
        Assert.Contains($"'{input.Name}'", shortInput.Message);
        Assert.Contains($"{input.Length}", shortInput.Message);
        var unknown = Assert.Throws<ArgumentException>(() => model.Run(new Dictionary<string, float[]> { ["nope"] = new float[input.Length] }));
        Assert.Contains("no input 'nope'", unknown.Message);
        Assert.Contains(input.Name, unknown.Message);
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Run(new float[input.Length], output));
    }

    [Fact]
    public void An_altered_or_truncated_weights_file_is_refused()
    {
        Build();
        var weights = Path.Combine(directory, ArtifactFiles.Weights);
        var bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(weights, bytes);
        var altered = Assert.Throws<InvalidDataException>(() => TesselModel.Load(directory));
        Assert.Contains("hash", altered.Message);
        Assert.Contains(ArtifactFiles.Weights, altered.Message);

        File.WriteAllBytes(weights, bytes[..^100]);
        var truncated = Assert.Throws<InvalidDataException>(() => TesselModel.Load(directory));
        Assert.Contains("truncated", truncated.Message);
    }

    [Fact]
    public void A_missing_file_a_newer_format_and_a_feature_this_cpu_lacks_are_refused()
    {
        Build();
        Assert.Throws<DirectoryNotFoundException>(() => TesselModel.Load(Path.Combine(directory, "absent")));

        var manifestPath = Path.Combine(directory, ArtifactFiles.Manifest);
        var original = File.ReadAllText(manifestPath);
        void Edit(Action<JsonObject> change)
        {
            var manifest = JsonNode.Parse(original)!.AsObject();
            change(manifest);
            File.WriteAllText(manifestPath, manifest.ToJsonString());
        }

        Edit(m => m["cpu_features"]!.AsArray().Add("avx1024"));
        var cpu = Assert.Throws<PlatformNotSupportedException>(() => TesselModel.Load(directory));
        Assert.Contains("avx1024", cpu.Message);
        Assert.Contains("lacks", cpu.Message);

        Edit(m => m["format_version"] = ArtifactManifest.CurrentFormat + 1);
        var format = Assert.Throws<NotSupportedException>(() => TesselModel.Load(directory));
        Assert.Contains("newer", format.Message);

        Edit(m => m.Remove("weights"));
        Assert.Throws<InvalidDataException>(() => TesselModel.Load(directory));

        File.WriteAllText(manifestPath, original);
        File.Delete(Path.Combine(directory, ArtifactFiles.KernelAssembly));
        var missing = Assert.Throws<FileNotFoundException>(() => TesselModel.Load(directory));
        Assert.Contains(ArtifactFiles.KernelAssembly, missing.Message);
    }
}
