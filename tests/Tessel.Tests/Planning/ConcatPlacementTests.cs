using Tessel.Graph;
using Tessel.Graph.Onnx;
using Tessel.OnnxRuntime;
using Tessel.Planning;
using Tessel.Runtime;
using Tessel.Runtime.Plans;
using Tessel.Runtime.Steps;
using Tessel.Tests.Support;

namespace Tessel.Tests.Planning;

/// <summary>Concats whose parts can be written in place are removed: a dense block's growing concats become one buffer,
/// each new layer's conv writing its channels at their offset, and the model still agrees with ONNX Runtime; a part that
/// cannot be written in place keeps the concat's copy.</summary>
public sealed class ConcatPlacementTests
{
    private static Node N(string op, string[] inputs, string output, Dictionary<string, object>? attributes = null) => new(op, $"{op}_{output}", inputs, [output], attributes ?? []);

    private static Dictionary<string, object> Axis(int axis) => new() { ["axis"] = axis };

    private static readonly Dictionary<string, object> Same3x3 = new() { ["pads"] = new[] { 1, 1, 1, 1 } };

    /// <summary>A stem conv, then <paramref name="layers"/> DenseNet layers (BN, ReLU, 3 x 3 conv of <paramref name="growth"/>
    /// channels, concatenated after what came before), then <paramref name="tail"/> (a global pool by default).</summary>
    private static ModelGraph DenseBlock(int[] input, int layers, int growth, Func<string, Node[]>? tail = null, string[]? outputs = null,
        Initializer[]? extra = null)
    {
        var (c, weights, nodes) = (input[1], new List<Initializer>(extra ?? []), new List<Node>());
        weights.Add(Initializer.Random("w0", [c, c, 1, 1], 1, 0.4f));
        nodes.Add(N("Conv", ["x", "w0"], "c0"));
        for (var l = 1; l <= layers; l++)
        {
            var (prev, width) = ($"c{l - 1}", c + (l - 1) * growth);
            weights.AddRange([
                Initializer.Random($"g{l}", [width], 10 * l, 0.5f), Initializer.Random($"b{l}", [width], 10 * l + 1, 0.5f),
                Initializer.Random($"m{l}", [width], 10 * l + 2, 0.5f), new($"v{l}", [width], () => Enumerable.Range(0, width).Select(i => 0.5f + i % 3 * 0.2f).ToArray()),
                Initializer.Random($"w{l}", [growth, width, 3, 3], 10 * l + 3, 0.2f)]);
            nodes.AddRange([
                N("BatchNormalization", [prev, $"g{l}", $"b{l}", $"m{l}", $"v{l}"], $"n{l}"), N("Relu", [$"n{l}"], $"r{l}"),
                N("Conv", [$"r{l}", $"w{l}"], $"y{l}", Same3x3), N("Concat", [prev, $"y{l}"], $"c{l}", Axis(1))]);
        }
        nodes.AddRange(tail?.Invoke($"c{layers}") ?? [N("GlobalAveragePool", [$"c{layers}"], "out")]);
        return new ModelGraph("dense-block", new Dictionary<string, int[]> { ["x"] = input }, weights, nodes, outputs ?? ["out"]);
    }

    private static void AgreesWithOnnxRuntime(ModelGraph graph, CompiledModel model, int threads)
    {
        var data = CompiledModel.SampleInput(graph);
        using var ort = new OrtReference(OnnxExport.ToBytes(graph), threads);
        var expected = ort.Run(data, graph.Inputs.Single().Value);
        var ours = model.Run(data)[0];
        Assert.Equal(expected.Length, ours.Length);
        var error = expected.Zip(ours, (e, o) => Math.Abs((double)e - o)).Max();
        Assert.True(error < 1e-4 * expected.Max(Math.Abs), $"max error {error}");
    }

    private static int ConcatSteps(CompiledModel model) => model.Compiled.Spec.Steps.Count(s => s.Label.Kind.StartsWith("Concat", StringComparison.Ordinal));

    [Theory]
    [InlineData(1, 8, 12, 12)]
    [InlineData(2, 16, 20, 20)]
    public void A_dense_blocks_concats_become_one_buffer_its_convs_write_into(int threads, int channels, int height, int width)
    {
        var graph = DenseBlock([1, channels, height, width], layers: 3, growth: 8);
        var model = CompiledModel.Compile(graph, history: null, threads);
        var spec = model.Compiled.Spec;
        Assert.Equal(0, ConcatSteps(model));
        // The stem's output and every concat share the last concat's buffer; each new layer's conv writes after what
        // came before it.
        Assert.All(new[] { "c0", "c1", "c2" }, t => Assert.Equal(spec.Buffers["c3"], spec.Buffers[t]));
        var plane = height * width;
        Assert.Equal(new Dictionary<string, int> { ["y1"] = channels * plane, ["y2"] = (channels + 8) * plane, ["y3"] = (channels + 16) * plane },
            spec.Offsets);
        AgreesWithOnnxRuntime(graph, model, threads);
    }

    [Fact]
    public void A_part_read_elsewhere_or_kept_as_an_output_is_copied()
    {
        // y1 also feeds the output's Add; c1, the model's second output, keeps a buffer of its own.
        var graph = DenseBlock([1, 8, 10, 10], layers: 2, growth: 8,
            tail: c => [N("Conv", [c, "wz"], "z"), N("Add", ["z", "y1"], "out")], outputs: ["out", "c1"], extra: [Initializer.Random("wz", [8, 24, 1, 1], 99, 0.3f)]);
        var model = CompiledModel.Compile(graph, history: null, threads: 1);
        Assert.Equal(2, ConcatSteps(model));
        Assert.Null(model.Compiled.Spec.Offsets);
        AgreesWithOnnxRuntime(graph, model, threads: 1);
    }

    [Fact]
    public void A_concat_whose_parts_interleave_in_the_output_is_copied()
    {
        // Two images: each part is two runs of the output, not one.
        var graph = DenseBlock([2, 8, 6, 6], layers: 1, growth: 8);
        var model = CompiledModel.Compile(graph, history: null, threads: 1);
        Assert.Equal(1, ConcatSteps(model));
        AgreesWithOnnxRuntime(graph, model, threads: 1);
    }

    [Fact]
    public void Blocked_parts_are_placed_at_whole_block_offsets()
    {
        // Two blocked convs' outputs, concatenated blocked, then read: the concat goes, the second conv writes after the first.
        var label = new StepLabel("n", "t", "k");
        PlannedStep Kernel(string input, string output) => new(new KernelStepSpec(label, 0, input, output, null, Activation.None, 1, 32), [input], [output]);
        var planner = new BufferPlanner();
        List<PlannedStep> steps =
        [
            Kernel("x", "a@nchw16c"), Kernel("x", "b@nchw16c"),
            new(new BlockedConcatStepSpec(label, ["a@nchw16c", "b@nchw16c"], "c@nchw16c", [32, 16], 49, 1, 16), ["a@nchw16c", "b@nchw16c"], ["c@nchw16c"]),
            Kernel("c@nchw16c", "y"),
        ];
        var sizes = new Dictionary<string, int> { ["x"] = 8, ["a@nchw16c"] = 32 * 49, ["b@nchw16c"] = 16 * 49, ["c@nchw16c"] = 48 * 49, ["y"] = 8 };
        var kept = ConcatPlacement.Place(steps, planner, t => sizes[t], new HashSet<string> { "x", "y" });
        Assert.Equal([steps[0], steps[1], steps[3]], kept);
        foreach (var step in kept) planner.Step(step.Reads, step.Writes, step.Spec.SizedByShape());
        var (lengths, buffers, offsets) = planner.Assign(t => sizes[t], new HashSet<string> { "x", "y" });
        Assert.Equal(buffers["c@nchw16c"], buffers["a@nchw16c"]);
        Assert.Equal(buffers["c@nchw16c"], buffers["b@nchw16c"]);
        Assert.Equal(48 * 49, lengths[buffers["c@nchw16c"]]);
        Assert.Equal(new Dictionary<string, int> { ["b@nchw16c"] = 32 * 49 }, offsets);
    }

    [Fact]
    public void A_part_a_layout_conversion_writes_is_placed_and_converted_at_its_offset()
    {
        // A SqueezeNet fire module: one expand blocked already, the other NCHW, converted into the blocked concat.
        var label = new StepLabel("n", "t", "k");
        List<PlannedStep> steps =
        [
            new(new KernelStepSpec(label, 0, "x", "a@nchw16c", null, Activation.None, 1, 16), ["x"], ["a@nchw16c"]),
            new(new KernelStepSpec(label, 1, "x", "b", null, Activation.None, 1, 16), ["x"], ["b"]),
            new(new LayoutStepSpec(label, "b", 1, "b@nchw16c", 16, 1, 16, 9), ["b"], ["b@nchw16c"]),
            new(new BlockedConcatStepSpec(label, ["a@nchw16c", "b@nchw16c"], "c@nchw16c", [16, 16], 9, 1, 16), ["a@nchw16c", "b@nchw16c"], ["c@nchw16c"]),
            new(new KernelStepSpec(label, 2, "c@nchw16c", "y", null, Activation.None, 1, 8), ["c@nchw16c"], ["y"]),
        ];
        var sizes = new Dictionary<string, int> { ["x"] = 8, ["a@nchw16c"] = 16 * 9, ["b"] = 16 * 9, ["b@nchw16c"] = 16 * 9, ["c@nchw16c"] = 32 * 9, ["y"] = 8 };
        var planner = new BufferPlanner();
        var kept = ConcatPlacement.Place(steps, planner, t => sizes[t], new HashSet<string> { "x", "y" });
        Assert.Equal([steps[0], steps[1], steps[2], steps[4]], kept);
        foreach (var step in kept) planner.Step(step.Reads, step.Writes, step.Spec.SizedByShape());
        var (_, buffers, offsets) = planner.Assign(t => sizes[t], new HashSet<string> { "x", "y" });
        Assert.Equal(buffers["c@nchw16c"], buffers["b@nchw16c"]);
        Assert.Equal(new Dictionary<string, int> { ["b@nchw16c"] = 16 * 9 }, offsets);

        // The conversion writes its blocks from the offset on and nothing before it.
        var source = Enumerable.Range(0, 16 * 9).Select(i => (float)i).ToArray();
        var destination = new float[32 * 9];
        new LayoutStep(source, 1, destination, 16, 1, 16, 9, threads: 1, destinationOffset: 16 * 9).Run();
        Assert.All(destination[..(16 * 9)], v => Assert.Equal(0f, v));
        for (var c = 0; c < 16; c++)
            for (var p = 0; p < 9; p++)
                Assert.Equal(source[c * 9 + p], destination[16 * 9 + p * 16 + c]);
    }

    [Fact]
    public void A_kernel_that_applies_its_own_epilogue_keeps_the_copy()
    {
        // The step's bias pass finds the output's plane from its buffer's length, so it cannot write into a longer one.
        var label = new StepLabel("n", "t", "k");
        PlannedStep Kernel(string output, string? bias) => new(new KernelStepSpec(label, 0, "x", output, bias, Activation.None, 1, 8), ["x"], [output]);
        List<PlannedStep> steps =
        [
            Kernel("a", null), Kernel("b", "bias"),
            new(new BlockedConcatStepSpec(label, ["a", "b"], "c", [8, 8], 4, 1, 8), ["a", "b"], ["c"]),
        ];
        var kept = ConcatPlacement.Place(steps, new BufferPlanner(), _ => 32, new HashSet<string> { "x", "c" });
        Assert.Equal(3, kept.Count);
    }

    [Fact]
    public void A_placed_plan_built_into_an_artifact_loads_and_computes_the_same()
    {
        var graph = DenseBlock([1, 8, 12, 12], layers: 2, growth: 8);
        var model = CompiledModel.Compile(graph, history: null, threads: 1);
        Assert.NotNull(model.Compiled.Spec.Offsets);
        Assert.Equal(model.Run(CompiledModel.SampleInput(graph))[0], ArtifactRoundTrip.Run(model, graph, "out"));
    }

    [Fact]
    public void A_plan_that_places_a_tensor_any_step_but_a_kernels_output_reads_is_refused()
    {
        var graph = DenseBlock([1, 8, 6, 6], layers: 1, growth: 8);
        var compiled = CompiledModel.Compile(graph, history: null, threads: 1).Compiled;
        var spec = compiled.Spec with { Offsets = new Dictionary<string, int> { ["c0"] = 8 } };
        var error = Assert.Throws<InvalidDataException>(() => PlanBinder.Bind(spec, compiled.Constant, compiled.Kernels, 1, owner: null));
        Assert.Contains("'c0'", error.Message);
        var outside = compiled.Spec with { Offsets = new Dictionary<string, int> { ["y1"] = 1 << 30 } };
        Assert.Contains("outside", Assert.Throws<InvalidDataException>(() => PlanBinder.Bind(outside, compiled.Constant, compiled.Kernels, 1, owner: null)).Message);
    }
}
