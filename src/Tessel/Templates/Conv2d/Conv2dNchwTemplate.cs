using Tessel.Kernels;
using System.Text.Json.Nodes;
using Tessel.Graph.Onnx;
using Tessel.Graph;
using Tessel.Spaces;
using Tessel.Templates;
using Tessel.Workloads;

namespace Tessel.Templates.Conv2d;

/// <summary>2-D convolution, NCHW data and OIHW weight, for x86 CPUs (AVX2/FMA register tiles).
/// Knobs: <c>tile_oc</c> (register tile in output channels per group), <c>tile_ow</c> (register tile
/// in output columns), <c>tile_oh</c> (output rows per outer block), <c>tile_ic</c> (reduction chunk),
/// <c>order</c> (order of the oc/oh/ic outer loops), <c>vec</c> (vectorised axis: "oc" or "ow"),
/// <c>unroll_kw</c>, <c>parallel</c> (which of oc/oh is shared among threads, hoisted outermost) and
/// <c>vec_bits</c> (256- or, on AVX-512 targets, 512-bit vectors).
/// Every tile size is valid, divisors or not: remainder tiles get their own micro-kernels.</summary>
public sealed class Conv2dNchwTemplate : ITemplate, IDescribesLoopNest
{
    public static Conv2dNchwTemplate Instance { get; } = new();

    public const string Name = "conv2d_nchw.x86";

    /// <summary>Axes of the <c>order</c> knob, in the order its permutations index them.</summary>
    public static readonly IReadOnlyList<string> OuterAxes = ["oc", "oh", "ic"];

    private Conv2dNchwTemplate() { }

    public string TaskName => Name;

    public string? OpName => "conv2d";

    public Workload WarmUpWorkload => Workload([1, 8, 8, 8], [8, 8, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1);

    /// <summary>A Conv whose weight is a constant; depthwise convs are matched first by their own template.</summary>
    public Workload? FromNode(ModelGraph graph, Node node) =>
        node.OpType == "Conv" && graph.Initializers.ContainsKey(node.Inputs[1])
            ? Workload(graph.Shape(node.Inputs[0]), graph.Shape(node.Inputs[1]), node.Ints("strides", [1, 1]),
                node.Ints("pads", [0, 0, 0, 0]), node.Ints("dilations", [1, 1]), node.Int("group", 1))
            : null;

    public Workload FromOperands(OpOperands o) => Workload(o.Data, o.Kernel, o.Strides, o.Padding, o.Dilation, o.Groups);

    public byte[] OnnxModel(Workload w, float[] weight) =>
        SingleOpModel.Conv(w.TensorShape(0), w.TensorShape(1), weight, w.IntList(2), w.IntList(3), w.IntList(4), w.Int(5));

    /// <summary>A conv2d_nchw workload: args <c>[data, kernel, strides, padding, dilation, groups, "float32"]</c>.</summary>
    public static Workload Workload(int[] data, int[] kernel, int[] strides, int[] padding, int[] dilation, int groups)
    {
        Validate(data, kernel, strides, padding, dilation, groups);
        return new Workload(Name, new JsonArray(
            Workloads.Workload.Tensor(data), Workloads.Workload.Tensor(kernel),
            Workloads.Workload.Ints(strides), Workloads.Workload.Ints(padding), Workloads.Workload.Ints(dilation),
            groups, "float32"));
    }

    internal static void Validate(int[] data, int[] kernel, int[] strides, int[] padding, int[] dilation, int groups)
    {
        static string S(int[] a) => "[" + string.Join(",", a) + "]";
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(strides);
        ArgumentNullException.ThrowIfNull(padding);
        ArgumentNullException.ThrowIfNull(dilation);
        if (data.Length != 4 || data.Any(d => d < 1))
            throw new ArgumentException($"data must have 4 positive dims (N,C,H,W), got {S(data)}", nameof(data));
        if (kernel.Length != 4 || kernel.Any(d => d < 1))
            throw new ArgumentException($"kernel must have 4 positive dims (OC,IC/groups,KH,KW), got {S(kernel)}", nameof(kernel));
        if (strides.Length != 2 || strides.Any(d => d < 1))
            throw new ArgumentException($"strides must be 2 positive ints (sh,sw), got {S(strides)}", nameof(strides));
        if (padding.Length != 4 || padding.Any(d => d < 0))
            throw new ArgumentException($"padding must be 4 non-negative ints (top,left,bottom,right), got {S(padding)}", nameof(padding));
        if (dilation.Length != 2 || dilation.Any(d => d < 1))
            throw new ArgumentException($"dilation must be 2 positive ints (dh,dw), got {S(dilation)}", nameof(dilation));
        if (groups < 1)
            throw new ArgumentException($"groups must be >= 1, got {groups}", nameof(groups));
        if (data[1] % groups != 0)
            throw new ArgumentException($"groups {groups} must divide the data channels {data[1]} (data {S(data)})", nameof(groups));
        if (kernel[0] % groups != 0)
            throw new ArgumentException($"groups {groups} must divide the output channels {kernel[0]} (kernel {S(kernel)})", nameof(groups));
        if (kernel[1] != data[1] / groups)
            throw new ArgumentException($"kernel input channels must be C/groups = {data[1] / groups}, got kernel {S(kernel)}", nameof(kernel));
        var oh = Graph.Window.Output(data[2], kernel[2], strides[0], padding[0] + padding[2], dilation[0]);
        var ow = Graph.Window.Output(data[3], kernel[3], strides[1], padding[1] + padding[3], dilation[1]);
        if (data[2] + padding[0] + padding[2] < dilation[0] * (kernel[2] - 1) + 1 || data[3] + padding[1] + padding[3] < dilation[1] * (kernel[3] - 1) + 1 || oh < 1 || ow < 1)
            throw new ArgumentException($"kernel {S(kernel)} with dilation {S(dilation)} does not fit data {S(data)} padded by {S(padding)}", nameof(kernel));
    }

    public ConfigSpace DefineSpace(Workload workload, Target target)
    {
        var p = Conv2dParams.From(workload).LoopNest();
        var space = new ConfigSpace();
        space.Define(new SplitKnob("tile_oc", p.OCPerGroup, SplitPolicy.All, maxFactor: 32));
        space.Define(new SplitKnob("tile_ow", p.OW, SplitPolicy.All, maxFactor: 16));
        space.Define(new SplitKnob("tile_oh", p.OH, SplitPolicy.All));
        space.Define(new SplitKnob("tile_ic", p.ICPerGroup, SplitPolicy.All));
        space.Define(new ReorderKnob("order", OuterAxes));
        space.Define(new ChoiceKnob("vec", "oc", "ow"));
        space.Define(new AnnotateKnob("unroll_kw", ["kw"], [["unroll"], ["none"]]));
        space.Define(new AnnotateKnob("parallel", ["oc", "oh"], [["none", "parallel"], ["parallel", "none"]]));
        VectorWidth.Define(space, target);
        return space;
    }

    public ConfigEntity DefaultConfig(ConfigSpace space, Workload workload)
    {
        var p = Conv2dParams.From(workload).LoopNest();
        if (p.OCPerGroup < 8)
        {
            // Few channels per group: vectorise over output columns instead.
            var tw = Math.Min(p.OCPerGroup <= 4 ? 16 : 8, p.OW);
            return Config(space, p.OCPerGroup, tw, tileOh: 1, tileIc: p.ICPerGroup, order: [1, 0, 2], "ow", unrollKw: true, parallel: RowsIfAny(p));
        }
        if (VectorWidth.Offers512(space)) return p.KH * p.KW > 1 ? Wide512Default(space, p) : Pointwise512Default(space, p);
        // The known-fast 256-bit shapes: 16 channels (2 ymm) x 6 columns = 12 accumulators. Pointwise convs
        // (no window reuse of the broadcast input) did better with 24 x 4, also 12 accumulators.
        var pointwise = p.KH * p.KW == 1 && p.OCPerGroup >= 24;
        var toc = pointwise ? 24 : Math.Min(16, p.OCPerGroup);
        var tow = Math.Min(pointwise ? 4 : 6, p.OW);
        return Config(space, toc, tow, tileOh: 1, tileIc: p.ICPerGroup, order: [1, 0, 2], "oc", unrollKw: true, parallel: RowsIfAny(p));
    }

    /// <summary>AVX-512 pointwise convs: on rows of whole vectors (see <see cref="Conv2dParams.LoopNest"/>),
    /// 24 channels x one zmm of columns with the weights broadcast (no transposing store; 64->256 at 56x56:
    /// 143 GFLOP/s at one thread against 79 for 32 x 12 channel vectors); elsewhere 2 zmm of channels x
    /// up to 14 columns over the whole reduction (each chunk would cost another transposing store).</summary>
    private static ConfigEntity Pointwise512Default(ConfigSpace space, Conv2dParams p)
    {
        var overColumns = p.OW % 16 == 0 && p.OCPerGroup >= 24;
        var toc = overColumns ? 24 : Math.Min(32, p.OCPerGroup);
        var tow = overColumns ? 16 : Math.Min(14, p.OW);
        // The larger operand outermost, so that it streams once: row by row, every channel tile of a row
        // while its input is in cache (1024->256 at 14x14, 1 MB of weights: 147 GFLOP/s against 80 with
        // channel tiles outermost); channel tile by channel tile where the weights are larger
        // (512->2048 at 7x7, 4 MB: 99 against 61 row by row).
        if (!overColumns && (long)p.OCPerGroup * p.ICPerGroup <= (long)p.C * p.H * p.W)
            return Config(space, toc, tow, tileOh: 1, p.ICPerGroup, order: [1, 0, 2], "oc", unrollKw: true, parallel: RowsIfAny(p), "512");
        if (!overColumns) return SpreadWork(space, p, toc, tow, p.ICPerGroup, "oc", rowsPerBlock: p.OH);
        return SpreadWork(space, p, toc, tow, Math.Min(64, p.ICPerGroup), "ow", rowsPerBlock: 1);
    }

    /// <summary>Rows in parallel, unless the loop nest has one row (a pointwise conv's plane re-cut into one
    /// flat row, see <see cref="Conv2dParams.LoopNest"/>): then channel tiles, or the threads would have one item.</summary>
    private static string RowsIfAny(Conv2dParams p) => p.OH > 1 ? "oh" : "oc";

    /// <summary>Channel tiles in parallel where they share out evenly, else blocks of rows.</summary>
    private static ConfigEntity SpreadWork(ConfigSpace space, Conv2dParams p, int toc, int tow, int tic, string vec, int rowsPerBlock)
    {
        var ocTiles = (p.OCPerGroup + toc - 1) / toc;
        return ocTiles % 2 == 0 || ocTiles >= 5
            ? Config(space, toc, tow, tileOh: rowsPerBlock, tic, order: [0, 2, 1], vec, unrollKw: true, parallel: "oc", "512")
            : Config(space, toc, tow, tileOh: Math.Min(rowsPerBlock, (p.OH + 3) / 4), tic, order: [0, 2, 1], vec, unrollKw: true, parallel: RowsIfAny(p), "512");
    }

    /// <summary>AVX-512 windows (KxK, K > 1): 2 zmm of channels x up to 14 columns (a width that splits
    /// the row evenly where one exists: 28 of 32 registers at most), every row of a channel tile in one
    /// work item so its weight chunk (at most ~96 KB, in L2) serves them all, the oc tiles in parallel.
    /// Measured on ResNet-50's 64@56 3x3 layer: 140 GFLOP/s at one thread against 97 for 32 x 12 row by row.</summary>
    private static ConfigEntity Wide512Default(ConfigSpace space, Conv2dParams p)
    {
        var toc = Math.Min(32, p.OCPerGroup);
        var tow = p.OW <= 14 ? p.OW : Enumerable.Range(7, 8).Reverse().FirstOrDefault(t => p.OW % t == 0, 12);
        var chunks = (int)Math.Ceiling((double)p.ICPerGroup * p.KH * p.KW * toc * sizeof(float) / (96 * 1024));
        return SpreadWork(space, p, toc, tow, (p.ICPerGroup + chunks - 1) / chunks, "oc", rowsPerBlock: p.OH);
    }

    /// <summary>The config with these knob values (throws when one is not a candidate of the space).</summary>
    public static ConfigEntity Config(ConfigSpace space, int tileOc, int tileOw, int tileOh, int tileIc, int[] order, string vec, bool unrollKw, string parallel, string vecBits = "256")
    {
        var values = new Dictionary<string, KnobValue>
        {
            ["tile_oc"] = new SplitValue([tileOc]),
            ["tile_ow"] = new SplitValue([tileOw]),
            ["tile_oh"] = new SplitValue([tileOh]),
            ["tile_ic"] = new SplitValue([tileIc]),
            ["order"] = new ReorderValue(order),
            ["vec"] = new ChoiceValue(vec),
            ["unroll_kw"] = new AnnotateValue([unrollKw ? "unroll" : "none"]),
            ["parallel"] = new AnnotateValue(parallel == "oc" ? ["parallel", "none"] : ["none", "parallel"]),
            [VectorWidth.KnobName] = new ChoiceValue(vecBits),
        };
        return space.FromValues(values) ?? throw new ArgumentException(
            $"config not in space: tile_oc={tileOc} tile_ow={tileOw} tile_oh={tileOh} tile_ic={tileIc} order=[{string.Join(",", order)}] vec={vec} parallel={parallel} vec_bits={vecBits}");
    }

    public long Flops(Workload workload) => Conv2dParams.From(workload).Flops;

    public Func<ConfigEntity, LoopNestFeatures> LoopNest(Workload workload)
    {
        var p = Conv2dParams.From(workload).LoopNest();
        return config => Conv2dLoopNest.Describe(p, Conv2dSchedule.From(config));
    }

    public KernelShapes Shapes(Workload workload)
    {
        var p = Conv2dParams.From(workload);
        return new KernelShapes(p.DataShape, p.WeightShape, p.OutputShape);
    }

    public bool FusesEpilogue => true;

    public string EmitKernel(Workload workload, ConfigEntity config, string className, FusedEpilogue? epilogue = null) =>
        Conv2dNchwEmitter.Emit(Conv2dParams.From(workload).LoopNest(), Conv2dSchedule.From(config), className, epilogue);

    public void Reference(Workload workload, ReadOnlySpan<float> data, ReadOnlySpan<float> weight, Span<float> output) =>
        ScalarKernels.Conv2d(data, weight, output, Conv2dParams.From(workload).Shape);
}

/// <summary>A config's knob values, read once.</summary>
public sealed record Conv2dSchedule(int TileOc, int TileOw, int TileOh, int TileIc, IReadOnlyList<string> Order, bool VecOc, bool UnrollKw, string Parallel, VectorWidth Width)
{
    public static Conv2dSchedule From(ConfigEntity c) => new(
        c.Tile("tile_oc"), c.Tile("tile_ow"), c.Tile("tile_oh"), c.Tile("tile_ic"),
        c.Get<ReorderValue>("order").Order.Select(i => Conv2dNchwTemplate.OuterAxes[i]).ToArray(),
        c.Choice("vec") == "oc",
        c.Get<AnnotateValue>("unroll_kw").Annotations[0] == "unroll",
        c.Get<AnnotateValue>("parallel").Annotations[0] == "parallel" ? "oc" : "oh",
        VectorWidth.Of(c));
}
