using Tessel.Templates.Scaffold;
using Tessel.Spaces;
using Tessel.Workloads;

namespace Tessel.Templates;

/// <summary>The SIMD width a kernel is written for, chosen by the <c>vec_bits</c> knob: 256 (8 floats, AVX2's
/// 16 ymm registers) or, on AVX-512 targets, 512 (16 floats, 32 zmm registers). Emitters write
/// <see cref="Type"/> and <see cref="Lanes"/> where a fixed-width kernel would hard-code them.</summary>
public sealed record VectorWidth(int Bits)
{
    public const string KnobName = "vec_bits";

    public static VectorWidth Of(ConfigEntity config) => new(int.Parse(config.Choice(KnobName), System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The knob: every width the target runs natively, narrowest first.</summary>
    public static ChoiceKnob Knob(Target target) => target.VectorBits >= 512 ? new ChoiceKnob(KnobName, "256", "512") : new ChoiceKnob(KnobName, "256");

    /// <summary>Defines the knob in <paramref name="space"/>; a record from before a template had it reads as 256 bits,
    /// the width its kernels were then written for (dense and the NCHW depthwise conv gained it later).</summary>
    public static void Define(ConfigSpace space, Target target) => space.Define(Knob(target), new ChoiceValue("256"));

    /// <summary>Whether a space offers 512-bit kernels (its target is AVX-512): the default configs' choice then.</summary>
    public static bool Offers512(ConfigSpace space) => space[KnobName].Count > 1;

    public int Lanes => Bits / 32;

    /// <summary>The vector type's name: <c>Vector256</c> or <c>Vector512</c>.</summary>
    public string Type => $"Vector{Bits}";

    /// <summary>An aggressively inlined FMA helper called <paramref name="name"/> for this width.</summary>
    public string FmaHelper(string name) => Bits == 256 ? KernelPrelude.FmaHelper(name) : $$"""
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            static Vector512<float> {{name}}(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

        """;
}
