using Tessel.Spaces;
using Tessel.Templates.Depthwise;
using Tessel.Workloads;

namespace Tessel.Templates.DepthwiseNchwc;

/// <summary>Depthwise 2-D convolution in the channel-blocked layout (NCHW[b]c data and output,
/// <see cref="Layouts.ChannelBlocks"/>), for x86 CPUs: the workloads of <c>depthwise_conv2d_nchw.x86</c> with a
/// channel multiplier of 1, as a second implementation (AutoTVM's x86 depthwise_conv2d_NCHWc). Vectors run
/// over the channels of a block, so every stride and dilation reads whole vectors with no phase split, and a
/// blocked conv's output feeds it unconverted (MobileNetV2's inverted residual blocks stay blocked).
/// Knobs: <c>block_vectors</c> (1 or 2 vectors per block), <c>tile_ow</c> (output columns per register tile),
/// <c>tile_oh</c> (output rows per work item, the grain at which rows are shared among threads) and
/// <c>vec_bits</c>.</summary>
public sealed class DepthwiseNchwcTemplate : ITemplate
{
    public const string Name = "depthwise_conv2d_nchwc.x86";

    public static DepthwiseNchwcTemplate Instance { get; } = new();

    private DepthwiseNchwcTemplate() { }

    public string TaskName => Name;

    public Workload WarmUpWorkload => Workload([1, 8, 8, 8], [8, 1, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1]);

    public Workload? AlternativeTo(Workload primary) =>
        primary.TaskName == DepthwiseConv2dNchwTemplate.Name && Fits(DepthwiseParams.From(primary)) ? FromDirect(primary) : null;

    public byte[] OnnxModel(Workload workload, float[] weight) =>
        DepthwiseConv2dNchwTemplate.Instance.OnnxModel(new Workload(DepthwiseConv2dNchwTemplate.Name, workload.Args), weight);

    /// <summary>Whether a depthwise workload has a blocked form: a channel multiplier of 1 (output channel c
    /// reads input channel c, so the blocks of both are the same channels).</summary>
    public static bool Fits(DepthwiseParams p) => p.Multiplier == 1;

    /// <summary>The blocked task of a depthwise_conv2d_nchw workload that <see cref="Fits"/>: the same args.</summary>
    public static Workload FromDirect(Workload direct) => new(Name, (System.Text.Json.Nodes.JsonArray)direct.Args.DeepClone());

    /// <summary>A blocked depthwise workload (the args of <see cref="DepthwiseConv2dNchwTemplate.Workload"/>).</summary>
    public static Workload Workload(int[] data, int[] kernel, int[] strides, int[] padding, int[] dilation) =>
        FromDirect(DepthwiseConv2dNchwTemplate.Workload(data, kernel, strides, padding, dilation));

    private static DepthwiseParams Params(Workload workload)
    {
        var p = DepthwiseParams.From(workload);
        if (!Fits(p)) throw new ArgumentException($"{Name} takes a channel multiplier of 1, got {p.Multiplier} ({p})", nameof(workload));
        return p;
    }

    public ConfigSpace DefineSpace(Workload workload, Target target)
    {
        var p = Params(workload);
        var space = new ConfigSpace();
        space.Define(new ChoiceKnob("block_vectors", "1", "2"));
        space.Define(new SplitKnob("tile_ow", p.OW, SplitPolicy.All, maxFactor: 16));
        space.Define(new SplitKnob("tile_oh", p.OH, SplitPolicy.All, maxFactor: 16));
        VectorWidth.Define(space, target);
        return space;
    }

    /// <summary>16-channel blocks (the blocked conv's default, so neighbours agree without tuning): one zmm x 8
    /// columns at 512 bits, two ymm x 4 at 256 (24 and 14 registers with a 3-wide window's weights); rows in
    /// items of 4.</summary>
    public ConfigEntity DefaultConfig(ConfigSpace space, Workload workload)
    {
        var p = Params(workload);
        var wide = VectorWidth.Offers512(space);
        return Config(space, wide ? 1 : 2, Math.Min(wide ? 8 : 4, p.OW), Math.Min(4, p.OH), wide ? "512" : "256");
    }

    /// <summary>The config with these knob values (throws when one is not a candidate of the space).</summary>
    public static ConfigEntity Config(ConfigSpace space, int blockVectors, int tileOw, int tileOh, string vecBits) =>
        space.FromValues(new Dictionary<string, KnobValue>
        {
            ["block_vectors"] = new ChoiceValue(blockVectors.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["tile_ow"] = new SplitValue([tileOw]),
            ["tile_oh"] = new SplitValue([tileOh]),
            [VectorWidth.KnobName] = new ChoiceValue(vecBits),
        }) ?? throw new ArgumentException($"config not in space: block_vectors={blockVectors} tile_ow={tileOw} tile_oh={tileOh} vec_bits={vecBits}");

    public long Flops(Workload workload) => Params(workload).Flops;

    /// <summary>The operator's shapes (NCHW data, [C, 1, KH, KW] weight, NCHW output): what measurement generates and
    /// checks; the kernel's own blocked layouts are in its <see cref="Kernels.IKernel.Layout"/>.</summary>
    public KernelShapes Shapes(Workload workload)
    {
        var p = Params(workload);
        return new KernelShapes([p.N, p.C, p.H, p.W], [p.C, 1, p.KH, p.KW], [p.N, p.C, p.OH, p.OW]);
    }

    public bool BlocksChannels => true;

    public (int Input, int Output) Blocks(Workload workload, ConfigEntity config)
    {
        var block = DepthwiseNchwcSchedule.From(config).Block;
        return (block, block);
    }

    public bool FusesEpilogue => true;

    public string EmitKernel(Workload workload, ConfigEntity config, string className, FusedEpilogue? epilogue = null) =>
        DepthwiseNchwcEmitter.Emit(Params(workload), DepthwiseNchwcSchedule.From(config), className, epilogue);

    public void Reference(Workload workload, ReadOnlySpan<float> data, ReadOnlySpan<float> weight, Span<float> output) =>
        DepthwiseConv2dNchwTemplate.Instance.Reference(new Workload(DepthwiseConv2dNchwTemplate.Name, workload.Args), data, weight, output);
}
