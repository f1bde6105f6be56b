using System.Text;

namespace Tessel.Templates.Scaffold;

/// <summary>What every emitted kernel class has, written once: the usings, the class header, the constants, the
/// fields every kernel keeps (threads, the weight as given and as packed, the call's tensors for work items, the work-item
/// delegate), <c>Prepare</c>'s length check around the template's packing, <c>PreparePacked</c> (an artifact's weight,
/// packed at build time, read in place) and <c>Packed</c>, <c>Run</c>'s hardware check with the
/// fallback to the compiled scalar kernel, one <c>Parallel(count, item)</c> helper with one rule for running
/// serially, the FMA helper of the vector width, and the fused epilogue's helpers. A template supplies its
/// constants, packing, <c>Run</c> body and members: the micro-kernels and parallel splits stay its own.</summary>
internal sealed class KernelClass
{
    public required string Name { get; init; }

    /// <summary>The comment line naming the workload and config.</summary>
    public required string Summary { get; init; }

    public required VectorWidth Width { get; init; }

    /// <summary>The name of the FMA helper the template's code calls.</summary>
    public string FmaName { get; init; } = "Fma";

    /// <summary><c>const</c> declarations, one per line, indented.</summary>
    public required string Constants { get; init; }

    /// <summary>The template's own fields.</summary>
    public string Fields { get; init; } = "";

    /// <summary>The expression of the weight's length, in its operator's own layout.</summary>
    public required string WeightLength { get; init; }

    /// <summary>Statements of <c>Prepare</c> after the check: the weight as <c>Run</c> reads it, from
    /// <c>PackedWeight(length, out var fill)</c> and, where <c>fill</c>, packed from <c>weight</c> (not where it came
    /// packed: an artifact's); then scratch buffers.</summary>
    public required string Packing { get; init; }

    /// <summary>Statements of <c>Run(data, output)</c> once vectors are known to run; parallel work goes through
    /// <c>Parallel(count, workItem)</c>, which reads the call's tensors from <c>cx</c> and <c>co</c>.</summary>
    public required string Run { get; init; }

    /// <summary>Methods and helpers of the template.</summary>
    public required string Members { get; init; }

    /// <summary>Whether <c>Parallel</c> gives each thread one contiguous range of the items, the same on every call
    /// (<c>WorkPool.ForRanges</c>), rather than items as they come: for a kernel whose items stream disjoint parts of a
    /// weight too large for one core's caches.</summary>
    public bool SplitByRange { get; init; }

    /// <summary>The channel-blocked layouts (<c>KernelLayout</c>'s constructor arguments), for a blocked kernel.</summary>
    public string? Layout { get; init; }

    public FusedEpilogue? Epilogue { get; init; }

    /// <summary>How many bias slots the epilogue keeps (padded so whole-vector loads stay in bounds).</summary>
    public string BiasSlots { get; init; } = "OC";

    /// <summary>The bias slot of output channel <c>c</c>, an expression of <c>c</c>.</summary>
    public string BiasSlot { get; init; } = "c";

    /// <summary>The compiled scalar kernel the class falls back to: <see cref="ConvFallback"/> or <see cref="DenseFallback"/>.</summary>
    public required string Fallback { get; init; }

    /// <summary>The fallback of a conv kernel whose constants name its extents (N, C, H, W, OC, KH, KW, SH, SW, PT, PL,
    /// DH, DW, OH, OW) and groups.</summary>
    public static string ConvFallback(string groups) =>
        $"{RuntimeNames.ScalarKernels}.Conv2d(data, wo, output, new {RuntimeNames.ConvShape}(N, C, H, W, OC, KH, KW, SH, SW, PT, PL, DH, DW, {groups}, OH, OW), " +
        $"{LayoutToken}, {EpilogueToken})";

    /// <summary>The fallback of a transposed conv kernel whose constants name its extents as a conv's do, one group.</summary>
    public static string ConvTransposeFallback =>
        $"{RuntimeNames.ScalarKernels}.ConvTranspose2d(data, wo, output, new {RuntimeNames.ConvTransposeShape}(N, C, H, W, OC, KH, KW, SH, SW, PT, PL, DH, DW, 1, OH, OW), " +
        $"{LayoutToken}, {EpilogueToken})";

    /// <summary>The fallback of a dense kernel whose constants are N, K and M.</summary>
    public static string DenseFallback => $"{RuntimeNames.ScalarKernels}.Dense(data, wo, output, N, K, M, {EpilogueToken})";

    private const string LayoutToken = "$layout$", EpilogueToken = "$epilogue$";


    public string Write()
    {
        var b = new StringBuilder(16 * 1024);
        b.Append($$"""
{{KernelPrelude.Usings}}

// {{Summary}}
[SkipLocalsInit]
public sealed unsafe class {{Name}} : {{RuntimeNames.Kernel}}
{
{{Constants.TrimEnd()}}

""");
        if (Layout is not null) b.Append($"    public {RuntimeNames.KernelLayout}? Layout {{ get; }} = new({Layout});\n\n");
        b.Append($$"""
    int threads;
    // The weight as given, for the scalar fallback.
    float[] wOrigArr;
    float* wo;
    // The weight as Run reads it: packed here (held by packedArr), or given packed (owned by the caller).
    float[] packedArr;
    float* packedWeight, packedGiven;
    int packedLength;
    // The current call's tensors, for the parallel items: a delegate made once, not a closure per call.
    float* cx, co;
    Action<int> workItem;
{{Fields.TrimEnd()}}

    public void Prepare(ReadOnlySpan<float> weight, int threads)
    {
        if (weight.Length != {{WeightLength}}) throw new ArgumentException("weight has " + weight.Length + " elements, expected " + ({{WeightLength}}));
        // The weight as given serves only the scalar fallback: kept where vectors do not run.
        if (!{{Width.Type}}.IsHardwareAccelerated) wo = {{RuntimeNames.PinnedArrays}}.Copy(weight, out wOrigArr);
        Setup(weight, threads);
    }

    public void PreparePacked(float* packed, int length, int threads)
    {
        if (!{{Width.Type}}.IsHardwareAccelerated) throw new PlatformNotSupportedException("{{Width.Type}} is not accelerated here: a packed weight has no scalar fallback");
        packedGiven = packed;
        Setup(default, threads);
        if (length != packedLength) throw new ArgumentException("packed weight has " + length + " elements, expected " + packedLength);
    }

    public ReadOnlySpan<float> Packed => new(packedWeight, packedLength);

    void Setup(ReadOnlySpan<float> weight, int threads)
    {
        this.threads = Math.Max(1, threads);
        workItem = WorkItem;
{{Packing.TrimEnd()}}{{(Epilogue is null ? "" : $"\n        AllocateBias({BiasSlots});")}}
    }

    /// <summary>The weight as Run reads it, of <paramref name="length"/> floats: allocated here for the template to
    /// pack (<paramref name="fill"/>), or the packed weight given to PreparePacked.</summary>
    float* PackedWeight(int length, out bool fill)
    {
        packedLength = length;
        fill = packedGiven == null;
        packedWeight = fill ? {{RuntimeNames.PinnedArrays}}.Allocate(length, out packedArr) : packedGiven;
        return packedWeight;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(float* data, float* output)
    {
        if (!{{Width.Type}}.IsHardwareAccelerated) { Scalar(data, output); return; }
{{Run.TrimEnd()}}
    }

    /// <summary>Runs work items 0 .. count - 1: in this thread where it may use only one or there is only one item,
    /// else on the work pool{{(SplitByRange ? ", one contiguous range of items per thread" : "")}}.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Parallel(int count, Action<int> item)
    {
        if (threads == 1 || count == 1) { for (int i = 0; i < count; i++) item(i); return; }
        {{RuntimeNames.WorkPool}}.{{(SplitByRange ? "ForRanges" : "For")}}(count, threads, item);
    }

    void Scalar(float* data, float* output) =>
        {{Fallback.Replace(LayoutToken, Layout is null ? "null" : "Layout").Replace(EpilogueToken, Epilogue is null ? "null" : $"(v, c) => EpiS(v, bp[{BiasSlot}])")}};

""");
        b.Append(Width.FmaHelper(FmaName));
        if (Epilogue is not null) b.Append(Epilogue.Helpers(Width.Type, BiasSlot));
        b.Append(Members.TrimEnd()).Append("\n}\n");
        return b.ToString();
    }
}
