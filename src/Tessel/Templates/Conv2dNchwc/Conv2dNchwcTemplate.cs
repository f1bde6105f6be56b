using Tessel.Spaces;
using Tessel.Templates.Conv2d;
using Tessel.Templates;
using Tessel.Workloads;

namespace Tessel.Templates.Conv2dNchwc;

/// <summary>2-D convolution in channel-blocked layouts (NCHW[b]c data and output, <see cref="Layouts.ChannelBlocks"/>),
/// for x86 CPUs: the same workloads (and args) as <c>conv2d_nchw.x86</c> with one group, as a second implementation
/// (AutoTVM's x86 conv2d_NCHWc). Knobs: <c>block_vectors</c> (the channel block in vectors: 1 or 2, so 8 or 16
/// channels at 256 bits, 16 or 32 at 512; non-dividing blocks are padded), <c>tile_oc</c> (output channel vectors
/// per register tile, 1-4), <c>tile_ow</c>, <c>tile_oh</c>, <c>tile_ic</c>, <c>order</c>, <c>unroll_kw</c>,
/// <c>parallel</c> and <c>vec_bits</c>, as the NCHW template's. Its kernels take and give blocked tensors, so
/// measurement converts the task's tensors around them (untimed) and a model's runtime converts only where a
/// neighbouring step wants another layout (counted in its latency).</summary>
public sealed class Conv2dNchwcTemplate : ITemplate, IDescribesLoopNest
{
    public const string Name = "conv2d_nchwc.x86";

    public static Conv2dNchwcTemplate Instance { get; } = new();

    private Conv2dNchwcTemplate() { }

    public string TaskName => Name;

    public Workload WarmUpWorkload => Workload([1, 8, 8, 8], [8, 8, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1]);

    public Workload? AlternativeTo(Workload primary) =>
        primary.TaskName == Conv2dNchwTemplate.Name && Fits(Conv2dParams.From(primary)) ? FromDirect(primary) : null;

    public byte[] OnnxModel(Workload workload, float[] weight) =>
        Conv2dNchwTemplate.Instance.OnnxModel(new Workload(Conv2dNchwTemplate.Name, workload.Args), weight);

    /// <summary>Whether a direct conv workload has a blocked form: one group (grouped and depthwise convs have
    /// templates of their own).</summary>
    public static bool Fits(Conv2dParams p) => p.Groups == 1;

    /// <summary>The blocked task of a conv2d_nchw workload that <see cref="Fits"/>: the same args.</summary>
    public static Workload FromDirect(Workload direct) => new(Name, (System.Text.Json.Nodes.JsonArray)direct.Args.DeepClone());

    /// <summary>A conv2d_nchwc workload (the args of <see cref="Conv2dNchwTemplate.Workload"/>, one group).</summary>
    public static Workload Workload(int[] data, int[] kernel, int[] strides, int[] padding, int[] dilation) =>
        FromDirect(Conv2dNchwTemplate.Workload(data, kernel, strides, padding, dilation, 1));

    private static Conv2dParams Params(Workload workload)
    {
        var p = Conv2dParams.From(new Workload(Conv2dNchwTemplate.Name, workload.Args));
        if (!Fits(p)) throw new ArgumentException($"{Name} takes one group, got {p.Groups} ({p})", nameof(workload));
        return p;
    }

    public ConfigSpace DefineSpace(Workload workload, Target target)
    {
        var p = Params(workload).LoopNest();
        var space = new ConfigSpace();
        space.Define(new ChoiceKnob("block_vectors", "1", "2"));
        space.Define(new ChoiceKnob("tile_oc", "1", "2", "3", "4"));
        space.Define(new SplitKnob("tile_ow", p.OW, SplitPolicy.All, maxFactor: 16));
        space.Define(new SplitKnob("tile_oh", p.OH, SplitPolicy.All));
        space.Define(new SplitKnob("tile_ic", p.C, SplitPolicy.All));
        space.Define(new ReorderKnob("order", Conv2dNchwTemplate.OuterAxes));
        space.Define(new AnnotateKnob("unroll_kw", ["kw"], [["unroll"], ["none"]]));
        space.Define(new AnnotateKnob("parallel", ["oc", "oh"], [["none", "parallel"], ["parallel", "none"]]));
        VectorWidth.Define(space, target);
        return space;
    }

    /// <summary>MLAS's shape of tile: 16-channel blocks; at 512 bits 2 zmm of channels x up to 14 columns (28 of
    /// 32 registers), at 256 bits 2 ymm x 6 (12 of 16); rows in parallel, the whole reduction per tile.</summary>
    public ConfigEntity DefaultConfig(ConfigSpace space, Workload workload)
    {
        var p = Params(workload).LoopNest();
        var wide = VectorWidth.Offers512(space);
        var tow = Math.Min(wide ? 14 : 6, p.OW);
        var vectors = Math.Min(2, (p.OC + (wide ? 15 : 7)) / (wide ? 16 : 8));
        return Config(space, blockVectors: wide ? 1 : 2, vectors, tow, tileOh: 1, p.C, [1, 0, 2], unrollKw: true, p.OH > 1 ? "oh" : "oc", wide ? "512" : "256");
    }

    /// <summary>The config with these knob values (throws when one is not a candidate of the space).</summary>
    public static ConfigEntity Config(ConfigSpace space, int blockVectors, int ocVectors, int tileOw, int tileOh, int tileIc, int[] order, bool unrollKw, string parallel, string vecBits)
    {
        var values = new Dictionary<string, KnobValue>
        {
            ["block_vectors"] = new ChoiceValue(blockVectors.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["tile_oc"] = new ChoiceValue(ocVectors.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["tile_ow"] = new SplitValue([tileOw]),
            ["tile_oh"] = new SplitValue([tileOh]),
            ["tile_ic"] = new SplitValue([tileIc]),
            ["order"] = new ReorderValue(order),
            ["unroll_kw"] = new AnnotateValue([unrollKw ? "unroll" : "none"]),
            ["parallel"] = new AnnotateValue(parallel == "oc" ? ["parallel", "none"] : ["none", "parallel"]),
            [VectorWidth.KnobName] = new ChoiceValue(vecBits),
        };
        return space.FromValues(values) ?? throw new ArgumentException(
            $"config not in space: block_vectors={blockVectors} tile_oc={ocVectors} tile_ow={tileOw} tile_oh={tileOh} tile_ic={tileIc} order=[{string.Join(",", order)}] parallel={parallel} " +
                $"vec_bits={vecBits}");
    }

    public long Flops(Workload workload) => Params(workload).Flops;

    public Func<ConfigEntity, LoopNestFeatures> LoopNest(Workload workload)
    {
        var p = Params(workload).LoopNest();
        return config =>
        {
            var s = Conv2dNchwcSchedule.From(config);
            // In the NCHW template's terms: channels vectorised, tile_oc in channels.
            return Conv2dLoopNest.Describe(p, new Conv2dSchedule(s.OcVectors * s.Width.Lanes, s.TileOw, s.TileOh, s.TileIc, s.Order, VecOc: true, s.UnrollKw, s.Parallel, s.Width));
        };
    }

    /// <summary>The operator's shapes (NCHW data, OIHW weight, NCHW output): what measurement generates and checks;
    /// the kernel's own blocked layouts are in its <see cref="Kernels.IKernel.Layout"/>.</summary>
    public KernelShapes Shapes(Workload workload)
    {
        var p = Params(workload);
        return new KernelShapes(p.DataShape, p.WeightShape, p.OutputShape);
    }

    public bool BlocksChannels => true;

    public (int Input, int Output) Blocks(Workload workload, ConfigEntity config)
    {
        var s = Conv2dNchwcSchedule.From(config);
        return (s.InputBlock(Params(workload)), s.Block);
    }

    public bool FusesEpilogue => true;

    public string EmitKernel(Workload workload, ConfigEntity config, string className, FusedEpilogue? epilogue = null) =>
        Conv2dNchwcEmitter.Emit(Params(workload).LoopNest(), Conv2dNchwcSchedule.From(config), className, epilogue);

    public void Reference(Workload workload, ReadOnlySpan<float> data, ReadOnlySpan<float> weight, Span<float> output) =>
        Conv2dNchwTemplate.Instance.Reference(new Workload(Conv2dNchwTemplate.Name, workload.Args), data, weight, output);
}
