using System.Numerics;
using System.Numerics.Tensors;

namespace Tessel.Runtime.Steps;

/// <summary>An element-wise function applied in place after a kernel (with the kernel's bias added first), so a
/// conv's output is written once: clamp (ReLU, Clip), leaky ReLU, hard sigmoid, hard swish, sigmoid, swish.</summary>
public sealed record Activation(Activation.Kinds Kind, float A = 0, float B = 0)
{
    public enum Kinds { None, Clamp, Leaky, HardSigmoid, HardSwish, Sigmoid, Swish }

    public static Activation None { get; } = new(Kinds.None);
    public static Activation Relu { get; } = Clamp(0, float.PositiveInfinity);

    public static Activation Clamp(float min, float max) => new(Kinds.Clamp, min, max);

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsNone => Kind == Kinds.None;

    /// <summary>The function on one value after its bias: the scalar tail of the vector loop (sigmoid and swish
    /// take TensorPrimitives' own path). A kernel's fused epilogue computes the same (Planning's
    /// <c>ActivationEpilogue</c>; a test holds the two equal).</summary>
    private float Scalar(float v, float bias)
    {
        v += bias;
        return Kind switch
        {
            Kinds.Clamp => Math.Min(Math.Max(v, A), B),
            Kinds.Leaky => Math.Max(v, v * A),
            Kinds.HardSigmoid => Math.Clamp(v * A + B, 0f, 1f),
            Kinds.HardSwish => v * Math.Clamp(v * A + B, 0f, 1f),
            _ => v,
        };
    }

    /// <summary>Adds <paramref name="bias"/> and applies the function over a span (one channel of a conv).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Apply(Span<float> values, float bias)
    {
        // A long plane in pieces: TensorPrimitives would write it past the cache (see WorkPool.Piece).
        for (; values.Length > KernelRuntime.WorkPool.Piece; values = values[KernelRuntime.WorkPool.Piece..])
            Apply(values[..KernelRuntime.WorkPool.Piece], bias);
        if (Kind is Kinds.Sigmoid or Kinds.Swish)
        {
            if (bias != 0) TensorPrimitives.Add(values, bias, values);
            Span<float> gate = stackalloc float[256];
            for (var at = 0; at < values.Length; at += gate.Length)
            {
                var chunk = values.Slice(at, Math.Min(gate.Length, values.Length - at));
                if (Kind == Kinds.Sigmoid) { TensorPrimitives.Sigmoid(chunk, chunk); continue; }
                var g = gate[..chunk.Length];
                TensorPrimitives.Sigmoid(chunk, g);
                TensorPrimitives.Multiply(chunk, g, chunk);
            }
            return;
        }
        switch (Kind)
        {
            case Kinds.Clamp: Apply<ClampOp>(values, bias); break;
            case Kinds.Leaky: Apply<LeakyOp>(values, bias); break;
            case Kinds.HardSigmoid: Apply<HardSigmoidOp>(values, bias); break;
            case Kinds.HardSwish: Apply<HardSwishOp>(values, bias); break;
            default: if (bias != 0) TensorPrimitives.Add(values, bias, values); break;
        }
    }

    /// <summary>The vector loop, specialised per function so the choice is made once per span, not per vector.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Apply<TOp>(Span<float> values, float bias) where TOp : struct, IOp
    {
        var b = new Vector<float>(bias);
        var (a, c) = (new Vector<float>(A), new Vector<float>(B));
        var i = 0;
        for (; i + Vector<float>.Count <= values.Length; i += Vector<float>.Count)
            TOp.Of(new Vector<float>(values[i..]) + b, a, c).CopyTo(values[i..]);
        for (; i < values.Length; i++) values[i] = Scalar(values[i], bias);
    }

    private interface IOp
    {
        static abstract Vector<float> Of(Vector<float> v, Vector<float> a, Vector<float> b);
    }

    private readonly struct ClampOp : IOp
    {
        public static Vector<float> Of(Vector<float> v, Vector<float> min, Vector<float> max) => Vector.Min(Vector.Max(v, min), max);
    }

    private readonly struct LeakyOp : IOp
    {
        public static Vector<float> Of(Vector<float> v, Vector<float> alpha, Vector<float> _) => Vector.Max(v, v * alpha);
    }

    private readonly struct HardSigmoidOp : IOp
    {
        public static Vector<float> Of(Vector<float> v, Vector<float> alpha, Vector<float> beta) =>
            Vector.Min(Vector.Max(v * alpha + beta, Vector<float>.Zero), Vector<float>.One);
    }

    private readonly struct HardSwishOp : IOp
    {
        public static Vector<float> Of(Vector<float> v, Vector<float> alpha, Vector<float> beta) => v * HardSigmoidOp.Of(v, alpha, beta);
    }
}
