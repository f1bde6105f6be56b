using Tessel.Templates.Scaffold;
using System.Globalization;

namespace Tessel.Templates;

/// <summary>An element-wise tail fused into a kernel's last store of each output value: add the output
/// channel's bias, then apply <see cref="Function"/>. Done there, the value is still in a register, so the
/// runtime needs no second pass over the output (which, inside a model, mostly streams from memory), and it
/// runs inside the kernel's parallel work items. The kernel gets the bias through
/// <see cref="Kernels.IKernel.SetBias"/>; without one it adds zeros.</summary>
public sealed record FusedEpilogue(FusedEpilogue.Functions Function, float A = 0, float B = 0)
{
    /// <summary>A scalar affine applied after the function, <c>f(v) * Scale + Shift</c> (PP-LCNetV3 follows each
    /// hard swish with a learnable one); the identity by default.</summary>
    public float Scale { get; init; } = 1;

    public float Shift { get; init; }

    private bool Affine => Scale != 1 || Shift != 0;

    /// <summary>The functions a vector store can apply with min, max, multiply and add; sigmoid and swish need an
    /// exponential and stay in the runtime's own pass. Clamp: min(max(v, A), B); leaky: max(v, A v);
    /// hard sigmoid: clamp(A v + B, 0, 1); hard swish: v * hard sigmoid(v).</summary>
    public enum Functions { Identity, Clamp, Leaky, HardSigmoid, HardSwish }

    /// <summary>Bias only.</summary>
    public static FusedEpilogue BiasOnly { get; } = new(Functions.Identity);

    /// <summary>Helpers for a kernel class: <c>Epi(v, bias)</c> on vectors of <paramref name="vectorType"/>
    /// (<c>Vector256</c> or <c>Vector512</c>), <c>EpiS(v, bias)</c> on one float, and the bias array <c>bp</c>
    /// (allocated by <c>AllocateBias</c> in Prepare), where channel c's bias sits at <paramref name="biasSlot"/>
    /// (an expression of c: the kernel's own channel layout).</summary>
    public string Helpers(string vectorType, string biasSlot = "c")
    {
        var vt = vectorType;
        return $$"""
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            static {{vt}}<float> Epi({{vt}}<float> v, {{vt}}<float> bias) { v += bias; return {{VectorAffine(vt, VectorBody(vt))}}; }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            static float EpiS(float v, float bias) { v += bias; return {{ScalarAffine(ScalarBody())}}; }

            float[] biasArr;
            float* bp;

            // Zeros (no bias) until SetBias; the slots past the last channel stay zero, so whole-vector loads there are harmless.
            void AllocateBias(int slots)
            {
                bp = {{RuntimeNames.PinnedArrays}}.Allocate(slots, out biasArr);
            }

            public void SetBias(ReadOnlySpan<float> bias)
            {
                if (bias.Length != OC) throw new ArgumentException("bias has " + bias.Length + " elements, expected " + OC);
                for (int c = 0; c < OC; c++) bp[{{biasSlot}}] = bias[c];
            }

            """;
    }

    private string VectorAffine(string vt, string body) =>
        Affine ? $"({body}) * {vt}.Create({F(Scale)}) + {vt}.Create({F(Shift)})" : body;

    private string ScalarAffine(string body) => Affine ? $"({body}) * {F(Scale)} + {F(Shift)}" : body;

    private string VectorBody(string vt) => Function switch
    {
        Functions.Identity => "v",
        Functions.Clamp when float.IsPositiveInfinity(B) => $"{vt}.Max(v, {vt}.Create({F(A)}))",
        Functions.Clamp => $"{vt}.Min({vt}.Max(v, {vt}.Create({F(A)})), {vt}.Create({F(B)}))",
        Functions.Leaky => $"{vt}.Max(v, v * {vt}.Create({F(A)}))",
        Functions.HardSigmoid => $"{vt}.Min({vt}.Max(v * {vt}.Create({F(A)}) + {vt}.Create({F(B)}), {vt}<float>.Zero), {vt}<float>.One)",
        Functions.HardSwish => $"v * {vt}.Min({vt}.Max(v * {vt}.Create({F(A)}) + {vt}.Create({F(B)}), {vt}<float>.Zero), {vt}<float>.One)",
        _ => throw new InvalidOperationException($"no epilogue function {Function}"),
    };

    private string ScalarBody() => Function switch
    {
        Functions.Identity => "v",
        Functions.Clamp => $"Math.Min(Math.Max(v, {F(A)}), {F(B)})",
        Functions.Leaky => $"Math.Max(v, v * {F(A)})",
        Functions.HardSigmoid => $"Math.Min(Math.Max(v * {F(A)} + {F(B)}, 0f), 1f)",
        Functions.HardSwish => $"v * Math.Min(Math.Max(v * {F(A)} + {F(B)}, 0f), 1f)",
        _ => throw new InvalidOperationException($"no epilogue function {Function}"),
    };

    /// <summary>What the fused code computes, on one value: the reference fused kernels are tested against.</summary>
    public float Apply(float v, float bias)
    {
        v += bias;
        var f = Function switch
        {
            Functions.Identity => v,
            Functions.Clamp => Math.Min(Math.Max(v, A), B),
            Functions.Leaky => Math.Max(v, v * A),
            Functions.HardSigmoid => Math.Clamp(v * A + B, 0f, 1f),
            Functions.HardSwish => v * Math.Clamp(v * A + B, 0f, 1f),
            _ => throw new InvalidOperationException($"no epilogue function {Function}"),
        };
        return Affine ? f * Scale + Shift : f;
    }

    private static string F(float value) => float.IsPositiveInfinity(value) ? "float.PositiveInfinity"
        : float.IsNegativeInfinity(value) ? "float.NegativeInfinity"
        : value.ToString("R", CultureInfo.InvariantCulture) + "f";
}
