using System.Numerics;

namespace Tessel.Runtime.Steps;

/// <summary>An element-wise clamp applied in place after a kernel: none, ReLU (min 0) or Clip (min, max).</summary>
public sealed record Activation(float Min, float Max)
{
    public static Activation None { get; } = new(float.NegativeInfinity, float.PositiveInfinity);
    public static Activation Relu { get; } = new(0, float.PositiveInfinity);

    public bool IsNone => float.IsNegativeInfinity(Min) && float.IsPositiveInfinity(Max);

    /// <summary>Adds <paramref name="bias"/> (may be empty) and clamps, over a span of one channel.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Apply(Span<float> values, float bias)
    {
        var lo = new Vector<float>(Min);
        var hi = new Vector<float>(Max);
        var b = new Vector<float>(bias);
        var i = 0;
        for (; i + Vector<float>.Count <= values.Length; i += Vector<float>.Count)
        {
            var v = new Vector<float>(values[i..]) + b;
            Vector.Min(Vector.Max(v, lo), hi).CopyTo(values[i..]);
        }
        for (; i < values.Length; i++) values[i] = Math.Clamp(values[i] + bias, Min, Max);
    }
}
