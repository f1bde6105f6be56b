using Tessel.Graph;
using Tessel.Graph.Onnx;
using Tessel.OnnxRuntime;
using Tessel.Planning;
using Tessel.Runtime;
using Tessel.Tests.Support;

namespace Tessel.Tests.Planning;

/// <summary>A DenseNet transition (BN, ReLU, 1 x 1 conv, tiling average pool) runs its pool before the conv, inside the BN
/// pass, and still agrees with ONNX Runtime on the model as written; pairs that do not commute are left as they are.</summary>
public sealed class PoolBeforePointwiseConvTests
{
    private static Node N(string op, string[] inputs, string output, Dictionary<string, object>? attributes = null) => new(op, $"{op}_{output}", inputs, [output], attributes ?? []);

    private static Dictionary<string, object> Pool(int k, int stride, int pad = 0) =>
        new() { ["kernel_shape"] = new[] { k, k }, ["strides"] = new[] { stride, stride }, ["pads"] = new[] { pad, pad, pad, pad } };

    /// <summary>BN (constant statistics), ReLU, a conv with <paramref name="kernel"/> and a bias, then <paramref name="pool"/>.</summary>
    private static ModelGraph Transition(int[] input, int kernel, Node pool, string[]? outputs = null)
    {
        var c = input[1];
        Initializer[] weights =
        [
            Initializer.Random("gamma", [c], 1, 0.5f), Initializer.Random("beta", [c], 2, 0.5f), Initializer.Random("mean", [c], 3, 0.5f),
            new("var", [c], () => Enumerable.Range(0, c).Select(i => 0.5f + i % 5 * 0.1f).ToArray()),
            Initializer.Random("w", [c / 2, c, kernel, kernel], 4, 0.3f), Initializer.Random("b", [c / 2], 5, 0.5f),
        ];
        Node[] nodes =
        [
            N("BatchNormalization", ["x", "gamma", "beta", "mean", "var"], "n"), N("Relu", ["n"], "r"),
            N("Conv", ["r", "w", "b"], "c", new() { ["pads"] = Enumerable.Repeat(kernel / 2, 4).ToArray() }), pool,
        ];
        return new ModelGraph("transition", new Dictionary<string, int[]> { ["x"] = input }, weights, nodes, outputs ?? ["y"]);
    }

    [Theory]
    // Planes over a piece: each in bands of whole pool rows, 120 rows and then 12.
    [InlineData(1, 2, 8, 132, 136)]
    [InlineData(2, 2, 8, 132, 136)]
    [InlineData(1, 4, 8, 132, 136)]
    // Planes under a piece, in bands of 8 whole planes (two at one thread), pooled plane by plane.
    [InlineData(1, 2, 16, 40, 48)]
    // Small even planes pooled all at once; 7 x 7 tiles, plane by plane.
    [InlineData(2, 2, 8, 14, 14)]
    [InlineData(1, 7, 8, 14, 14)]
    public void A_transition_pools_in_the_bn_pass_before_its_conv_and_matches_onnx_runtime(int threads, int k, int channels, int height, int width)
    {
        int[] input = [1, channels, height, width];
        var graph = Transition(input, 1, N("AveragePool", ["c"], "y", Pool(k, k)));
        Assert.Equal(["BatchNormalization", "Relu", "AveragePool", "Conv"], graph.Nodes.Select(n => n.OpType));
        var conv = graph.Nodes[^1];
        Assert.Equal([1, channels, height / k, width / k], graph.Shape(conv.Inputs[0]));
        Assert.Equal("y", conv.Outputs[0]);

        var model = CompiledModel.Compile(graph, history: null, threads);
        var data = CompiledModel.SampleInput(graph);
        Assert.Equal(["BatchNormalization+AveragePool", "conv2d_nchw.x86"], model.Profile(data, runs: 1).Keys.Order());
        using var ort = new OrtReference(OnnxExport.ToBytes(graph), threads);
        var expected = ort.Run(data, input);
        var ours = model.Run(data)[0];
        Assert.Equal(expected.Length, ours.Length);
        var error = expected.Zip(ours, (e, o) => Math.Abs((double)e - o)).Max();
        Assert.True(error < 1e-4 * expected.Max(Math.Abs), $"max error {error}");
    }

    [Theory]
    [InlineData("a 3 x 3 conv", 3, "AveragePool", 2, 2, 0)]
    [InlineData("a max pool", 1, "MaxPool", 2, 2, 0)]
    [InlineData("overlapping windows", 1, "AveragePool", 3, 2, 0)]
    [InlineData("padded windows", 1, "AveragePool", 2, 2, 1)]
    public void A_pair_that_does_not_commute_keeps_its_order(string name, int kernel, string pool, int k, int stride, int pad)
    {
        var graph = Transition([1, 8, 12, 12], kernel, N(pool, ["c"], "y", Pool(k, stride, pad)));
        Assert.True(graph.Nodes.Select(n => n.OpType).SequenceEqual(["BatchNormalization", "Relu", "Conv", pool]), name);
    }

    [Fact]
    public void A_pool_as_large_as_the_plane_is_moved_before_the_conv_but_stays_a_step_of_its_own()
    {
        var graph = Transition([1, 8, 7, 7], 1, N("AveragePool", ["c"], "y", Pool(7, 7)));
        Assert.Equal(["BatchNormalization", "Relu", "AveragePool", "Conv"], graph.Nodes.Select(n => n.OpType));
        var model = CompiledModel.Compile(graph, history: null, threads: 1);
        Assert.Equal(["AveragePool", "BatchNormalization", "conv2d_nchw.x86"], model.Profile(CompiledModel.SampleInput(graph), runs: 1).Keys.Order());
    }

    [Fact]
    public void A_conv_output_read_elsewhere_keeps_its_order()
    {
        var graph = Transition([1, 8, 12, 12], 1, N("AveragePool", ["c"], "y", Pool(2, 2)), ["y", "c"]);
        Assert.Equal(["BatchNormalization", "Relu", "Conv", "AveragePool"], graph.Nodes.Select(n => n.OpType));
    }

    [Fact]
    public void A_transition_built_into_an_artifact_loads_and_computes_the_same()
    {
        var graph = Transition([1, 8, 40, 48], 1, N("AveragePool", ["c"], "y", Pool(2, 2)));
        var model = CompiledModel.Compile(graph, history: null, threads: 1);
        Assert.Equal(model.Run(CompiledModel.SampleInput(graph))[0], ArtifactRoundTrip.Run(model, graph, "y"));
    }
}
