using System.Globalization;
using System.Text.Json.Nodes;
using Tessel.Graph;
using Tessel.Graph.Onnx;
using Tessel.Kernels;
using Tessel.Spaces;
using Tessel.Templates.Conv2d;
using Tessel.Workloads;

namespace Tessel.Templates.Conv2dTranspose;

/// <summary>2-D transposed convolution (ONNX ConvTranspose, TVM's conv2d_transpose) for x86 CPUs, computed by stride
/// phases (<see cref="StridePhases"/>): each phase of the output is a small direct conv over the input, so no zero is
/// inserted and none multiplied. Measured against GEMM + col2im on the Gluon CV pose head's 4x4 stride-2 layers
/// (docs/BENCHMARKS.md), it needs no column buffer (16x the input for a 4x4 kernel) and writes each output once.
/// Knobs: <c>layout</c> (NCHW[b]c in and out, or NCHW with stores scattered to the channel planes),
/// <c>block_vectors</c>, <c>tile_oc</c> (output channel vectors per register tile), <c>tile_ow</c> (columns of one
/// phase per tile), <c>tile_rows</c> (rows of one phase per tile), <c>tile_oh</c> (output rows per work block), <c>tile_ic</c>, <c>order</c>, <c>parallel</c> and
/// <c>vec_bits</c>. Args: <c>[data, kernel (ONNX layout), strides, padding, output_padding, dilation, groups,
/// "float32"]</c>; one group (a grouped ConvTranspose runs as the runtime's plain operator).</summary>
public sealed class Conv2dTransposeTemplate : ITemplate
{
    public const string Name = "conv2d_transpose_nchw.x86";

    public static Conv2dTransposeTemplate Instance { get; } = new();

    private Conv2dTransposeTemplate() { }

    public string TaskName => Name;

    public string? OpName => "conv2d_transpose";

    public Workload WarmUpWorkload => Workload([1, 8, 8, 8], [8, 8, 4, 4], [2, 2], [1, 1, 1, 1], [0, 0], [1, 1], 1);

    /// <summary>A ConvTranspose of one group whose weight is a constant, in its canonical form (explicit pads and
    /// output_padding: the runtime operator resolves auto_pad and output_shape).</summary>
    public Workload? FromNode(ModelGraph graph, Node node)
    {
        if (node.OpType != "ConvTranspose" || !graph.Initializers.ContainsKey(node.Inputs[1]) || node.Int("group", 1) != 1) return null;
        try
        {
            return Workload(graph.Shape(node.Inputs[0]), graph.Shape(node.Inputs[1]), node.Ints("strides", [1, 1]), node.Ints("pads", [0, 0, 0, 0]),
                node.Ints("output_padding", [0, 0]), node.Ints("dilations", [1, 1]), 1);
        }
        catch (ArgumentException)
        {
            return null; // an output_shape that grows the output past the stride: the plain operator runs it
        }
    }

    public Workload FromOperands(OpOperands o) => Workload(o.Data, o.Kernel, o.Strides, o.Padding, o.OutputPadding, o.Dilation, o.Groups);

    /// <summary>A conv2d_transpose workload; <paramref name="kernel"/> in ONNX's layout <c>[C, OC / groups, KH, KW]</c>.</summary>
    public static Workload Workload(int[] data, int[] kernel, int[] strides, int[] padding, int[] outputPadding, int[] dilation, int groups)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(kernel);
        Conv2dTransposeParams.Validate(data, kernel, strides, padding, outputPadding, dilation, groups);
        if (groups != 1) throw new ArgumentException($"the conv2d_transpose template takes one group, got {groups}", nameof(groups));
        return new Workload(Name, new JsonArray(
            Workloads.Workload.Tensor(data), Workloads.Workload.Tensor(kernel), Workloads.Workload.Ints(strides), Workloads.Workload.Ints(padding),
            Workloads.Workload.Ints(outputPadding), Workloads.Workload.Ints(dilation), groups, "float32"));
    }

    public ConfigSpace DefineSpace(Workload workload, Target target)
    {
        var p = Conv2dTransposeParams.From(workload);
        var space = new ConfigSpace();
        space.Define(new ChoiceKnob("layout", "nchwc", "nchw"));
        space.Define(new ChoiceKnob("block_vectors", "1", "2"));
        space.Define(new ChoiceKnob("tile_oc", "1", "2", "3", "4"));
        space.Define(new SplitKnob("tile_ow", (p.OW + p.StrideW - 1) / p.StrideW, SplitPolicy.All, maxFactor: 16));
        space.Define(new ChoiceKnob("tile_rows", "1", "2"), new ChoiceValue("1")); // records from before the knob: one row
        space.Define(new SplitKnob("tile_oh", p.OH, SplitPolicy.All));
        space.Define(new SplitKnob("tile_ic", p.C, SplitPolicy.All));
        space.Define(new ReorderKnob("order", Conv2dNchwTemplate.OuterAxes));
        space.Define(new AnnotateKnob("parallel", ["oc", "oh"], [["none", "parallel"], ["parallel", "none"]]));
        VectorWidth.Define(space, target);
        return space;
    }

    /// <summary>The blocked conv's tile: 2 vectors of channels x up to 14 phase columns at 512 bits (28 of 32 registers),
    /// x 6 at 256 (12 of 16), a column count that splits the phase row evenly where one exists; the whole reduction per
    /// tile. The larger operand streams once: where the weight outweighs the input (the pose head's layers: 8 MB of weight
    /// against 96 KB of input at 8x6), each work item is one channel tile over every row, its weight chunk staying in
    /// cache (row by row, each output row would read the whole weight again), and a tile holds two rows of a phase, so
    /// that each weight vector loaded feeds twice the columns (2 x 2 x 6 at 512 bits; 1 thread, 512->256 @8x6: 143-152 ->
    /// 162-176 GFLOP/s, 256->256 @16x12: 58-100 -> 180-190 against 4 vectors x 12 columns, which spilled); else rows in
    /// parallel.</summary>
    public ConfigEntity DefaultConfig(ConfigSpace space, Workload workload)
    {
        var p = Conv2dTransposeParams.From(workload);
        var wide = VectorWidth.Offers512(space);
        var columns = (p.OW + p.StrideW - 1) / p.StrideW;
        var most = wide ? 14 : 6;
        // The widest tile up to `limit` columns that splits the phase row evenly, else `limit`.
        int Columns(int limit) => columns <= limit ? columns : Enumerable.Range(limit / 2, limit / 2 + 1).Reverse().FirstOrDefault(t => columns % t == 0, limit);
        var vectors = Math.Min(2, (p.OC + (wide ? 15 : 7)) / (wide ? 16 : 8));
        var bits = wide ? "512" : "256";
        var lanes = wide ? 16 : 8;
        if ((long)p.OC * p.KH * p.KW > (long)p.H * p.W && p.OC > vectors * lanes)
        {
            var pairs = (p.OH + p.StrideH - 1) / p.StrideH >= 2;
            return Config(space, blocked: true, blockVectors: wide ? 1 : 2, vectors, Columns(pairs ? most / 2 : most), tileRows: pairs ? 2 : 1, tileOh: p.OH, p.C, [0, 2, 1], "oc", bits);
        }
        return Config(space, blocked: true, blockVectors: wide ? 1 : 2, vectors, Columns(most), tileRows: 1, tileOh: 1, p.C, [1, 0, 2], p.OH > 1 ? "oh" : "oc", bits);
    }

    /// <summary>The config with these knob values (throws when one is not a candidate of the space).</summary>
    public static ConfigEntity Config(ConfigSpace space, bool blocked, int blockVectors, int ocVectors, int tileOw, int tileRows, int tileOh, int tileIc,
        int[] order, string parallel, string vecBits)
    {
        var values = new Dictionary<string, KnobValue>
        {
            ["layout"] = new ChoiceValue(blocked ? "nchwc" : "nchw"),
            ["block_vectors"] = new ChoiceValue(blockVectors.ToString(CultureInfo.InvariantCulture)),
            ["tile_oc"] = new ChoiceValue(ocVectors.ToString(CultureInfo.InvariantCulture)),
            ["tile_ow"] = new SplitValue([tileOw]),
            ["tile_rows"] = new ChoiceValue(tileRows.ToString(CultureInfo.InvariantCulture)),
            ["tile_oh"] = new SplitValue([tileOh]),
            ["tile_ic"] = new SplitValue([tileIc]),
            ["order"] = new ReorderValue(order),
            ["parallel"] = new AnnotateValue(parallel == "oc" ? ["parallel", "none"] : ["none", "parallel"]),
            [VectorWidth.KnobName] = new ChoiceValue(vecBits),
        };
        return space.FromValues(values) ?? throw new ArgumentException(
            $"config not in space: layout={(blocked ? "nchwc" : "nchw")} block_vectors={blockVectors} tile_oc={ocVectors} tile_ow={tileOw} tile_rows={tileRows} tile_oh={tileOh} " +
            $"tile_ic={tileIc} order=[{string.Join(",", order)}] parallel={parallel} vec_bits={vecBits}");
    }

    public long Flops(Workload workload) => Conv2dTransposeParams.From(workload).Flops;

    /// <summary>The operator's shapes (NCHW data, the weight output channels first, NCHW output): what measurement
    /// generates and checks; a blocked kernel's own layouts are in its <see cref="IKernel.Layout"/>.</summary>
    public KernelShapes Shapes(Workload workload)
    {
        var p = Conv2dTransposeParams.From(workload);
        return new KernelShapes(p.DataShape, p.WeightShape, p.OutputShape);
    }

    public bool BlocksChannels => true;

    public (int Input, int Output) Blocks(Workload workload, ConfigEntity config)
    {
        var s = Conv2dTransposeSchedule.From(config);
        return (s.InputBlock(Conv2dTransposeParams.From(workload)), s.Block);
    }

    public bool FusesEpilogue => true;

    public string EmitKernel(Workload workload, ConfigEntity config, string className, FusedEpilogue? epilogue = null) =>
        Conv2dTransposeEmitter.Emit(Conv2dTransposeParams.From(workload), Conv2dTransposeSchedule.From(config), className, epilogue);

    /// <summary>ONNX Runtime's ConvTranspose over the same weight, given output channels first: back to ONNX's layout.</summary>
    public byte[] OnnxModel(Workload workload, float[] weight)
    {
        var p = Conv2dTransposeParams.From(workload);
        return SingleOpModel.ConvTranspose(p.DataShape, p.OnnxWeightShape, ToOnnxLayout(weight, p.OC, p.C, p.KH * p.KW), [p.StrideH, p.StrideW],
            [p.PadTop, p.PadLeft, p.PadBottom, p.PadRight], [p.OutPadH, p.OutPadW], [p.DilationH, p.DilationW], p.OutputShape);
    }

    /// <summary>An ONNX ConvTranspose weight <c>[C, OC, KH, KW]</c> (one group) as the kernels take it, <c>[OC, C, KH, KW]</c>.</summary>
    public static float[] FromOnnxLayout(ReadOnlySpan<float> onnx, int channels, int outputChannels, int taps)
    {
        var weight = new float[onnx.Length];
        for (var c = 0; c < channels; c++)
        for (var oc = 0; oc < outputChannels; oc++)
            onnx.Slice((c * outputChannels + oc) * taps, taps).CopyTo(weight.AsSpan((oc * channels + c) * taps, taps));
        return weight;
    }

    private static float[] ToOnnxLayout(float[] weight, int outputChannels, int channels, int taps) => FromOnnxLayout(weight, outputChannels, channels, taps);

    public void Reference(Workload workload, ReadOnlySpan<float> data, ReadOnlySpan<float> weight, Span<float> output) =>
        ScalarKernels.ConvTranspose2d(data, weight, output, Conv2dTransposeParams.From(workload).Shape);
}
