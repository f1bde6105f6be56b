using Tessel.Graph.Onnx;
using Tessel.Graph.Zoo;
using Tessel.OnnxRuntime;
using Tessel.Runtime;
using Tessel.Planning;

namespace Tessel.Tests.OnnxRuntime;

/// <summary>ONNX Runtime's per-node profile, set beside Tessel's per-step profile by <c>run --profile --verify</c>.</summary>
public class OrtNodeProfileTests
{
    [Fact]
    public void A_trace_gives_each_node_its_median_run_without_the_warm_up()
    {
        const string trace = """
            [{"cat":"Session","name":"model_run","dur":900},
             {"cat":"Node","name":"clip2_nchwc_kernel_time","dur":500,"args":{"op_name":"Conv"}},
             {"cat":"Node","name":"clip2_nchwc_fence_before","dur":0,"args":{"op_name":"Conv"}},
             {"cat":"Node","name":"Flatten_9_kernel_time","dur":9,"args":{"op_name":"Flatten"}},
             {"cat":"Node","name":"clip2_nchwc_kernel_time","dur":40,"args":{"op_name":"Conv"}},
             {"cat":"Node","name":"Flatten_9_kernel_time","dur":2,"args":{"op_name":"Flatten"}},
             {"cat":"Node","name":"clip2_nchwc_kernel_time","dur":30,"args":{"op_name":"Conv"}},
             {"cat":"Node","name":"Flatten_9_kernel_time","dur":3,"args":{"op_name":"Flatten"}},
             {"cat":"Node","name":"clip2_nchwc_kernel_time","dur":50,"args":{"op_name":"Conv"}},
             {"cat":"Node","name":"Flatten_9_kernel_time","dur":1,"args":{"op_name":"Flatten"}}]
            """;
        var nodes = OrtNodeProfile.Parse(trace);
        Assert.Equal(["clip2_nchwc", "Flatten_9"], nodes.Select(n => n.Node));
        Assert.Equal(["clip2", "Flatten_9"], nodes.Select(n => n.Layer));
        Assert.Equal(["Conv", "Flatten"], nodes.Select(n => n.OpType));
        Assert.Equal(40e-6, nodes[0].Seconds, 12); // median of 40, 30, 50: the 500 us warm-up is dropped
        Assert.Equal(2e-6, nodes[1].Seconds, 12);
    }

    [Fact]
    public void Every_conv_step_of_a_model_finds_its_node_in_the_runtime_profile()
    {
        var graph = ModelZoo.Build("mobilenetv2_1.0");
        var data = CompiledModel.SampleInput(graph);
        var steps = CompiledModel.Compile(graph, history: null, threads: 1).ProfileSteps(data, runs: 1);
        static int ProfileFiles() => Directory.GetFiles(Environment.CurrentDirectory, "onnxruntime_profile_*").Length;
        var before = ProfileFiles();
        var ort = OrtNodeProfile.Measure(OnnxExport.ToBytes(graph), threads: 1, data, graph.Inputs.Single().Value, runs: 2);
        Assert.Equal(before, ProfileFiles()); // ORT's trace is read from a temporary folder and removed
        var layers = ort.Select(n => n.Layer).ToHashSet(StringComparer.Ordinal);
        var convs = steps.Where(s => s.Label.Kind.Contains("conv", StringComparison.Ordinal)).ToList();
        Assert.Equal(graph.Nodes.Count(n => n.OpType == "Conv"), convs.Count);
        Assert.All(convs, s => Assert.True(layers.Contains(s.Label.Node) || layers.Contains(s.Label.Output), $"{s.Label.Node} -> {s.Label.Output}: no ORT node"));
        Assert.True(ort.Sum(n => n.Seconds) > 0);
    }
}
