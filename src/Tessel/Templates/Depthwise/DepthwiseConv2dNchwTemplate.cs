using Tessel.Kernels;
using System.Text.Json.Nodes;
using Tessel.Graph.Onnx;
using Tessel.Graph;
using Tessel.Spaces;
using Tessel.Workloads;

namespace Tessel.Templates.Depthwise;

/// <summary>Depthwise 2-D convolution, NCHW data and [C, multiplier, KH, KW] weight, for x86 CPUs.
/// Knobs: <c>tile_c</c> (input channels per work item, the grain at which channels are shared among threads;
/// each thread pads one plane at a time into its own scratch, so the copy stays in cache), <c>tile_oh</c> and <c>tile_ow</c> (the register tile: output rows x columns,
/// vectors along columns; rows in one tile share every input row they overlap), <c>order</c> (row tiles
/// or column tiles outermost), <c>unroll_kw</c> and <c>vec_bits</c> (256- or, on AVX-512 targets, 512-bit vectors).
/// Every tile size is valid: tails get their own code.</summary>
public sealed class DepthwiseConv2dNchwTemplate : ITemplate
{
    public const string Name = "depthwise_conv2d_nchw.x86";

    public static DepthwiseConv2dNchwTemplate Instance { get; } = new();

    private DepthwiseConv2dNchwTemplate() { }

    public string TaskName => Name;

    public string? OpName => "depthwise";

    public Workload WarmUpWorkload => Workload([1, 8, 8, 8], [8, 1, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1]);

    /// <summary>ONNX writes a depthwise conv as a grouped Conv with one input channel per group.</summary>
    public Workload? FromNode(ModelGraph graph, Node node)
    {
        if (node.OpType != "Conv" || !graph.Initializers.ContainsKey(node.Inputs[1])) return null;
        var data = graph.Shape(node.Inputs[0]);
        var weight = graph.Shape(node.Inputs[1]);
        var groups = node.Int("group", 1);
        if (groups <= 1 || groups != data[1] || weight[1] != 1) return null;
        return Workload(data, [data[1], weight[0] / data[1], weight[2], weight[3]], node.Ints("strides", [1, 1]),
            node.Ints("pads", [0, 0, 0, 0]), node.Ints("dilations", [1, 1]));
    }

    public Workload FromOperands(OpOperands o) => Workload(o.Data, o.Kernel, o.Strides, o.Padding, o.Dilation);

    /// <summary>A grouped Conv: group = C, weight [C * multiplier, 1, KH, KW].</summary>
    public byte[] OnnxModel(Workload w, float[] weight)
    {
        var k = w.TensorShape(1);
        return SingleOpModel.Conv(w.TensorShape(0), [k[0] * k[1], 1, k[2], k[3]], weight, w.IntList(2), w.IntList(3), w.IntList(4), k[0]);
    }

    /// <summary>A depthwise workload: args <c>[data, kernel, strides, padding, dilation, "float32"]</c>.</summary>
    public static Workload Workload(int[] data, int[] kernel, int[] strides, int[] padding, int[] dilation)
    {
        static string S(int[] a) => "[" + string.Join(",", a) + "]";
        if (data is not { Length: 4 } || data.Any(d => d < 1))
            throw new ArgumentException($"data must have 4 positive dims (N,C,H,W), got {S(data ?? [])}", nameof(data));
        if (kernel is not { Length: 4 } || kernel.Any(d => d < 1))
            throw new ArgumentException($"kernel must have 4 positive dims (C,multiplier,KH,KW), got {S(kernel ?? [])}", nameof(kernel));
        if (kernel[0] != data[1])
            throw new ArgumentException($"kernel channels {kernel[0]} must equal data channels {data[1]} (kernel {S(kernel)}, data {S(data)})", nameof(kernel));
        if (strides is not { Length: 2 } || strides.Any(d => d < 1))
            throw new ArgumentException($"strides must be 2 positive ints (sh,sw), got {S(strides ?? [])}", nameof(strides));
        if (padding is not { Length: 4 } || padding.Any(d => d < 0))
            throw new ArgumentException($"padding must be 4 non-negative ints (top,left,bottom,right), got {S(padding ?? [])}", nameof(padding));
        if (dilation is not { Length: 2 } || dilation.Any(d => d < 1))
            throw new ArgumentException($"dilation must be 2 positive ints (dh,dw), got {S(dilation ?? [])}", nameof(dilation));
        if (data[2] + padding[0] + padding[2] < dilation[0] * (kernel[2] - 1) + 1 || data[3] + padding[1] + padding[3] < dilation[1] * (kernel[3] - 1) + 1)
            throw new ArgumentException($"kernel {S(kernel)} with dilation {S(dilation)} does not fit data {S(data)} padded by {S(padding)}", nameof(kernel));
        return new Workload(Name, new JsonArray(
            Workloads.Workload.Tensor(data), Workloads.Workload.Tensor(kernel),
            Workloads.Workload.Ints(strides), Workloads.Workload.Ints(padding), Workloads.Workload.Ints(dilation), "float32"));
    }

    public ConfigSpace DefineSpace(Workload workload, Target target)
    {
        var p = DepthwiseParams.From(workload);
        var space = new ConfigSpace();
        space.Define(new SplitKnob("tile_c", p.C, SplitPolicy.All, maxFactor: 64));
        space.Define(new SplitKnob("tile_oh", p.OH, SplitPolicy.All, maxFactor: 6));
        space.Define(new SplitKnob("tile_ow", p.OW, SplitPolicy.All, maxFactor: 32));
        space.Define(new ReorderKnob("order", ["oh", "ow"]));
        space.Define(new AnnotateKnob("unroll_kw", ["kw"], [["unroll"], ["none"]]));
        VectorWidth.Define(space, target);
        return space;
    }

    public ConfigEntity DefaultConfig(ConfigSpace space, Workload workload)
    {
        var p = DepthwiseParams.From(workload);
        // 4 rows x 16 columns = 8 accumulators, and a row of input reused by up to KH output rows.
        return space.FromValues(new Dictionary<string, KnobValue>
        {
            ["tile_c"] = new SplitValue([Math.Min(8, p.C)]),
            ["tile_oh"] = new SplitValue([Math.Min(4, p.OH)]),
            ["tile_ow"] = new SplitValue([Math.Min(16, p.OW)]),
            ["order"] = new ReorderValue([0, 1]),
            ["unroll_kw"] = new AnnotateValue(["unroll"]),
            // The known-fast 256-bit tile; 512-bit ones are in the space for the tuner.
            [VectorWidth.KnobName] = new ChoiceValue("256"),
        })!;
    }

    public long Flops(Workload workload) => DepthwiseParams.From(workload).Flops;

    public KernelShapes Shapes(Workload workload)
    {
        var p = DepthwiseParams.From(workload);
        return new KernelShapes([p.N, p.C, p.H, p.W], [p.C, p.Multiplier, p.KH, p.KW], [p.N, p.OC, p.OH, p.OW]);
    }

    public bool FusesEpilogue => true;

    public string EmitKernel(Workload workload, ConfigEntity config, string className, FusedEpilogue? epilogue = null) =>
        DepthwiseEmitter.Emit(DepthwiseParams.From(workload), DepthwiseSchedule.From(config), className, epilogue);

    public void Reference(Workload workload, ReadOnlySpan<float> data, ReadOnlySpan<float> weight, Span<float> output) =>
        ScalarKernels.Conv2d(data, weight, output, DepthwiseParams.From(workload).Shape);
}
