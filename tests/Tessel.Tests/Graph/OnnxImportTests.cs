using Tessel.Tests.Support;
using Tessel.Graph.Onnx;
using Tessel.Graph.Zoo;
using Tessel.Tasks;
using Tessel.Templates.Depthwise;
using Tessel.Workloads;

namespace Tessel.Tests.Graph;

public sealed class OnnxImportTests : IDisposable
{
    private static readonly string Models = TestData.Models;
    private readonly string directory = Directory.CreateTempSubdirectory("tessel-onnx-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_real_exported_model_yields_the_conv_workloads_of_its_manifest()
    {
        // BlazeFace (tf2onnx): NHWC input behind a Transpose, asymmetric pads, stored Reshape targets,
        // ConstantOfShape zero blocks; its manifest counts 37 convs (16 depthwise) in 29 distinct workloads.
        var graph = OnnxImport.Load(Path.Combine(Models, "blazeface-front-128.onnx"));
        var tasks = TaskExtraction.Extract(graph, Target.Host).Where(t => !t.Alternative).ToList();
        Assert.Equal(29, tasks.Count);
        Assert.Equal(37, tasks.Sum(t => t.Count));
        Assert.Equal(16, tasks.Where(t => t.Task.Name == DepthwiseConv2dNchwTemplate.Name).Sum(t => t.Count));
    }

    [Fact]
    public void An_exported_zoo_model_reads_back_with_the_same_tasks()
    {
        var zoo = ModelZoo.Build("resnet18_v1");
        var path = Path.Combine(directory, "resnet18.onnx");
        File.WriteAllBytes(path, OnnxExport.ToBytes(zoo));
        var imported = OnnxImport.Load(path);
        Assert.Equal(
            TaskExtraction.Extract(zoo, Target.Host).Select(t => (t.Task.Workload.Key, t.Count)),
            TaskExtraction.Extract(imported, Target.Host).Select(t => (t.Task.Workload.Key, t.Count)));
    }

    /// <summary>The shared real models at their manifest's concrete input shapes: conv counts as the manifest
    /// lists them, and the whole model run by Tessel agrees with ONNX Runtime on the model's own file.</summary>
    [Theory]
    [InlineData("blazeface-front-128.onnx", null, 37, 29)]
    [InlineData("ppocr-mobile-v2.0-cls.onnx", "1,3,48,192", 53, 41)]
    [InlineData("ppocrv4-rec.onnx", "1,3,48,320", 38, 30)]
    public void A_shared_real_model_runs_end_to_end_like_onnx_runtime(string file, string? shape, int convs, int workloads)
    {
        var path = Path.Combine(Models, file);
        var shapes = shape is null ? null : new Dictionary<string, int[]> { ["x"] = shape.Split(',').Select(int.Parse).ToArray() };
        var graph = OnnxImport.Load(path, shapes);
        var tasks = TaskExtraction.Extract(graph, Target.Host);
        var convTasks = tasks.Where(t => !t.Alternative && t.Task.Name != Tessel.Templates.Dense.DenseTemplate.Name).ToList();
        Assert.Equal(workloads, convTasks.Count);
        Assert.Equal(convs, convTasks.Sum(t => t.Count));

        var input = graph.Inputs.Single().Value;
        var data = Tessel.Planning.CompiledModel.SampleInput(graph);
        var ours = Tessel.Planning.CompiledModel.Compile(graph, history: null, threads: 2).Run(data);
        using var ort = new Tessel.OnnxRuntime.OrtReference(File.ReadAllBytes(path), threads: 2);
        var expected = ort.RunAll(data, input);
        Assert.Equal(graph.Outputs.Count, expected.Length);
        for (var o = 0; o < expected.Length; o++)
        {
            var scale = expected[o].Max(Math.Abs);
            var error = expected[o].Zip(ours[o], (e, a) => Math.Abs((double)e - a)).Max();
            Assert.True(error / scale < 1e-3, $"{file} output {o}: max error {error} (scale {scale})");
        }
    }

    [Fact]
    public void Bad_files_are_errors_that_name_the_file_and_the_problem()
    {
        var random = Path.Combine(directory, "random.onnx");
        File.WriteAllBytes(random, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());
        var truncated = Path.Combine(directory, "truncated.onnx");
        var whole = File.ReadAllBytes(Path.Combine(Models, "blazeface-front-128.onnx"));
        File.WriteAllBytes(truncated, whole[..(whole.Length / 2)]);

        foreach (var bad in new[] { random, truncated })
        {
            var e = Assert.Throws<FormatException>(() => OnnxImport.Load(bad));
            Assert.Contains(bad, e.Message);
        }
        var symbolic = Assert.Throws<FormatException>(() => OnnxImport.Load(Path.Combine(Models, "ppocrv4-rec.onnx")));
        Assert.Contains("input 'x' has symbolic", symbolic.Message);
        Assert.Contains("cannot read", Assert.Throws<FormatException>(() => OnnxImport.Load(Path.Combine(directory, "absent.onnx"))).Message);
    }
}
