using Tessel.Graph;
using Tessel.Graph.Onnx;
using Tessel.OnnxRuntime;
using Tessel.Runtime;
using Tessel.Planning;

namespace Tessel.Tests.Planning;

/// <summary>Activations after a conv, written as one node or as the decompositions exporters emit, run in the
/// conv kernel's epilogue: the compiled model has no step left for them and still agrees with ONNX Runtime.</summary>
public sealed class EpilogueFusionTests
{
    private static Node N(string op, string[] inputs, string output, Dictionary<string, object>? attributes = null) => new(op, $"{op}_{output}", inputs, [output], attributes ?? []);

    private static Initializer Scalar(string name, float value) => new(name, [], () => [value]);

    public static TheoryData<string, Node[], Initializer[]> Patterns() => new()
    {
        { "LeakyRelu", [N("LeakyRelu", ["c"], "y", new() { ["alpha"] = 0.1f })], [] },
        { "HardSigmoid", [N("HardSigmoid", ["c"], "y", new() { ["alpha"] = 0.2f, ["beta"] = 0.5f })], [] },
        { "HardSwish", [N("HardSwish", ["c"], "y")], [] },
        { "Sigmoid", [N("Sigmoid", ["c"], "y")], [] },
        { "swish as x * sigmoid(x)", [N("Sigmoid", ["c"], "s"), N("Mul", ["c", "s"], "y")], [] },
        { "hard swish as x * hardsigmoid(x)", [N("HardSigmoid", ["c"], "h", new() { ["alpha"] = 1 / 6f, ["beta"] = 0.5f }), N("Mul", ["h", "c"], "y")], [] },
        {
            "hard swish as x * clip(x + 3, 0, 6) / 6 (opset 9 Clip)",
            [N("Add", ["c", "three"], "a"), N("Clip", ["a"], "k", new() { ["min"] = 0f, ["max"] = 6f }), N("Mul", ["c", "k"], "m"), N("Div", ["m", "six"], "y")],
            [Scalar("three", 3), Scalar("six", 6)]
        },
        {
            "a scalar affine, then hard swish as x * clip(x + 3, 0, 6) / 6 (PP-LCNetV3)",
            [N("Mul", ["c", "s"], "p"), N("Add", ["p", "t"], "q"), N("Add", ["q", "three"], "a"), N("Clip", ["a", "zero", "six"], "k"), N("Mul", ["q", "k"], "m"), N("Div", ["m", "six"], "y")],
            [Scalar("s", 1.7f), Scalar("t", -0.3f), Scalar("three", 3), Scalar("zero", 0), Scalar("six", 6)]
        },
        {
            "a scalar affine, hard swish, and a scalar affine after it (PP-LCNetV3)",
            [N("Mul", ["c", "s"], "p"), N("Add", ["p", "t"], "q"), N("Add", ["q", "three"], "a"), N("Clip", ["a", "zero", "six"], "k"), N("Mul", ["q", "k"], "m"),
             N("Div", ["m", "six"], "h"), N("Mul", ["h", "s2"], "h2"), N("Add", ["h2", "t2"], "y")],
            [Scalar("s", 1.7f), Scalar("t", -0.3f), Scalar("three", 3), Scalar("zero", 0), Scalar("six", 6), Scalar("s2", 0.8f), Scalar("t2", 0.25f)]
        },
    };

    [Theory]
    [MemberData(nameof(Patterns))]
    public void An_activation_after_a_conv_runs_in_its_epilogue(string name, Node[] activation, Initializer[] constants)
    {
        var weight = Initializer.Random("w", [16, 8, 3, 3], 5, 0.4f);
        var bias = Initializer.Random("b", [16], 6, 0.5f);
        Node[] nodes = [N("Conv", ["x", "w", "b"], "c", new() { ["pads"] = new[] { 1, 1, 1, 1 } }), .. activation];
        var opset = name.Contains("opset 9") ? 9 : 14;
        var graph = new ModelGraph("fusion", new Dictionary<string, int[]> { ["x"] = [1, 8, 10, 12] }, [weight, bias, .. constants], nodes, ["y"], opset);
        var model = CompiledModel.Compile(graph, history: null, threads: 1);
        var data = CompiledModel.SampleInput(graph);
        Assert.Equal(["conv2d_nchw.x86"], model.Profile(data, runs: 1).Keys);

        using var ort = new OrtReference(OnnxExport.ToBytes(graph), threads: 1);
        var expected = ort.Run(data, [1, 8, 10, 12]);
        var ours = model.Run(data)[0];
        var error = expected.Zip(ours, (e, o) => Math.Abs((double)e - o)).Max();
        Assert.True(error < 1e-4 * expected.Max(Math.Abs), $"{name}: max error {error}");
    }

    [Fact]
    public void An_activation_input_read_elsewhere_is_not_fused()
    {
        // The conv output is also a model output: the ReLU must stay a step of its own.
        var nodes = new[] { N("Conv", ["x", "w"], "c"), N("Relu", ["c"], "y") };
        var graph = new ModelGraph("shared", new Dictionary<string, int[]> { ["x"] = [1, 4, 6, 6] }, [Initializer.Random("w", [8, 4, 1, 1], 1, 0.5f)], nodes, ["y", "c"]);
        var model = CompiledModel.Compile(graph, history: null, threads: 1);
        var outputs = model.Run(CompiledModel.SampleInput(graph));
        Assert.Contains("Relu", model.Profile(CompiledModel.SampleInput(graph), runs: 1).Keys);
        Assert.Contains(outputs[1], v => v < 0);
        Assert.Equal(outputs[1].Select(v => Math.Max(v, 0)), outputs[0]);
    }
}
