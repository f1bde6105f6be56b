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

    public bool IsNone => Kind == Kinds.None;

    /// <summary>Adds <paramref name="bias"/> and applies the function over a span (one channel of a conv).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Apply(Span<float> values, float bias)
    {
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
        var b = new Vector<float>(bias);
        var (a, c) = (new Vector<float>(A), new Vector<float>(B));
        var (zero, one) = (Vector<float>.Zero, Vector<float>.One);
        var i = 0;
        for (; i + Vector<float>.Count <= values.Length; i += Vector<float>.Count)
        {
            var v = new Vector<float>(values[i..]) + b;
            v = Kind switch
            {
                Kinds.Clamp => Vector.Min(Vector.Max(v, a), c),
                Kinds.Leaky => Vector.Max(v, v * a),
                Kinds.HardSigmoid => Vector.Min(Vector.Max(v * a + c, zero), one),
                Kinds.HardSwish => v * Vector.Min(Vector.Max(v * a + c, zero), one),
                _ => v,
            };
            v.CopyTo(values[i..]);
        }
        for (; i < values.Length; i++) values[i] = Scalar(values[i] + bias);
    }

    private float Scalar(float v) => Kind switch
    {
        Kinds.Clamp => Math.Clamp(v, A, B),
        Kinds.Leaky => v >= 0 ? v : v * A,
        Kinds.HardSigmoid => Math.Clamp(v * A + B, 0, 1),
        Kinds.HardSwish => v * Math.Clamp(v * A + B, 0, 1),
        _ => v,
    };
}
