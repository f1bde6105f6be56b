using Tessel.Spaces;
using Tessel.Templates.Conv2d;
using Tessel.Templates;
using Tessel.Workloads;

namespace Tessel.Templates.Winograd;

/// <summary>3x3 stride-1 convolution by Winograd's minimal filtering, NCHW data and OIHW weight, for x86
/// CPUs: the same workloads (and args) as <c>conv2d_nchw.x86</c> where the window is 3x3, stride and
/// dilation 1, one group. Knobs: <c>tile_m</c> (output tile 2 or 4: F(2x2,3x3) or F(4x4,3x3)),
/// <c>tile_oc</c> and <c>tile_p</c> (the products' register tile: channels x tiles) and <c>vec_bits</c>.
/// Its figures count the direct convolution's flops, so GFLOP/s compare with the direct template as speed.
/// F(4x4) rounds more (errors near 1e-5 of the output's scale here); both stay well inside the 1e-3
/// the measurement checks against the naive reference.</summary>
public sealed class Conv2dWinogradTemplate : ITemplate, IDescribesLoopNest
{
    public const string Name = "conv2d_nchw_winograd.x86";

    public static Conv2dWinogradTemplate Instance { get; } = new();

    private Conv2dWinogradTemplate() { }

    public string TaskName => Name;

    public string? OpName => "winograd";

    public Workload WarmUpWorkload => Workload([1, 8, 8, 8], [8, 8, 3, 3], [1, 1, 1, 1]);

    public Workload? AlternativeTo(Workload primary) =>
        primary.TaskName == Conv2dNchwTemplate.Name && Fits(Conv2dParams.From(primary)) ? FromDirect(primary) : null;

    public Workload FromOperands(OpOperands o) =>
        o.Strides is [1, 1] && o.Dilation is [1, 1] && o.Groups == 1
            ? Workload(o.Data, o.Kernel, o.Padding)
            : throw new ArgumentException("takes stride 1, dilation 1 and one group (use conv2d for the others)");

    public byte[] OnnxModel(Workload workload, float[] weight) => Conv2dNchwTemplate.Instance.OnnxModel(AsDirect(workload), weight);

    /// <summary>Whether a direct conv workload has a Winograd form.</summary>
    public static bool Fits(Conv2dParams p) =>
        p is { KH: 3, KW: 3, StrideH: 1, StrideW: 1, DilationH: 1, DilationW: 1, Groups: 1 };

    /// <summary>The Winograd task of a 3x3 stride-1 conv2d_nchw workload (same args).</summary>
    public static Workload Workload(int[] data, int[] kernel, int[] padding)
    {
        var direct = Conv2dNchwTemplate.Workload(data, kernel, [1, 1], padding, [1, 1], 1);
        if (!Fits(Conv2dParams.From(direct)))
            throw new ArgumentException($"Winograd takes 3x3 kernels only, got kernel [{string.Join(",", kernel)}]", nameof(kernel));
        return FromDirect(direct);
    }

    /// <summary>The Winograd task of a direct conv workload that <see cref="Fits"/>: the same args.</summary>
    public static Workload FromDirect(Workload direct) => new(Name, (System.Text.Json.Nodes.JsonArray)direct.Args.DeepClone());

    /// <summary>The direct conv's workload with the same args.</summary>
    public static Workload AsDirect(Workload workload) => new(Conv2dNchwTemplate.Name, (System.Text.Json.Nodes.JsonArray)workload.Args.DeepClone());

    private static Conv2dParams Params(Workload workload) =>
        Conv2dParams.From(AsDirect(workload)) is var p && Fits(p) ? p
            : throw new ArgumentException($"{Name} takes 3x3, stride 1, dilation 1, one group: {workload}");

    public ConfigSpace DefineSpace(Workload workload, Target target)
    {
        var p = Params(workload);
        var space = new ConfigSpace();
        space.Define(new ChoiceKnob("tile_m", 2L, 4L));
        space.Define(new SplitKnob("tile_oc", p.OC, SplitPolicy.All, maxFactor: 48));
        space.Define(new ChoiceKnob("tile_p", Enumerable.Range(1, 14).Select(t => (long)t).ToArray()));
        VectorWidth.Define(space, target);
        return space;
    }

    public ConfigEntity DefaultConfig(ConfigSpace space, Workload workload)
    {
        var p = Params(workload);
        var wide = VectorWidth.Offers512(space);
        // Two channel vectors x up to 12 tiles (24 of 32 zmm; 256-bit: 6 tiles, 12 of 16 ymm); F(4x4)
        // where the output has room for its tiles.
        var m = Math.Min(p.OH, p.OW) >= 8 ? 4 : 2;
        var tiles = (p.OH + m - 1) / m * ((p.OW + m - 1) / m);
        return Config(space, m, Math.Min(wide ? 32 : 16, p.OC), Math.Min(wide ? 12 : 6, tiles), wide ? "512" : "256");
    }

    public static ConfigEntity Config(ConfigSpace space, int m, int tileOc, int tileP, string vecBits) =>
        space.FromValues(new Dictionary<string, KnobValue>
        {
            ["tile_m"] = new ChoiceValue(m),
            ["tile_oc"] = new SplitValue([tileOc]),
            ["tile_p"] = new ChoiceValue(tileP),
            [VectorWidth.KnobName] = new ChoiceValue(vecBits),
        }) ?? throw new ArgumentException($"config not in space: tile_m={m} tile_oc={tileOc} tile_p={tileP} vec_bits={vecBits}");

    public long Flops(Workload workload) => Params(workload).Flops;

    public Func<ConfigEntity, LoopNestFeatures> LoopNest(Workload workload)
    {
        var p = Params(workload);
        return config => WinogradLoopNest.Describe(p, WinogradSchedule.From(config));
    }

    public KernelShapes Shapes(Workload workload)
    {
        var p = Params(workload);
        return new KernelShapes(p.DataShape, p.WeightShape, p.OutputShape);
    }

    public bool FusesEpilogue => true;

    public string EmitKernel(Workload workload, ConfigEntity config, string className, FusedEpilogue? epilogue = null) =>
        WinogradEmitter.Emit(Params(workload), WinogradSchedule.From(config), className, epilogue);

    public void Reference(Workload workload, ReadOnlySpan<float> data, ReadOnlySpan<float> weight, Span<float> output) =>
        Conv2dNchwTemplate.Instance.Reference(AsDirect(workload), data, weight, output);
}
