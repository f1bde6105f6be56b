using System.Numerics.Tensors;

namespace Tessel.Graph.Operators;

/// <summary>Element-wise ops of one input (activations, Sqrt, Erf, Cast ...): the output has the input's shape.
/// Each is a span-to-span function, vectorised by TensorPrimitives where it has one.</summary>
public sealed class Unary(Func<OpContext, Unary.SpanFunction> function) : IOperator
{
    public delegate void SpanFunction(ReadOnlySpan<float> x, Span<float> y);

    public int[][] InferShapes(OpContext c) => [c.Shape(0)];

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var f = function(c);
        var (x, y) = (inputs[0], outputs[0]);
        return KernelRuntime.WorkPool.Split(y.Length, c.Threads, (from, to) => f(x.AsSpan(from, to - from), y.AsSpan(from, to - from)));
    }

    public static Unary Of(SpanFunction f) => new(_ => f);

    public static Unary PerElement(Func<OpContext, Func<float, float>> make) => new(c =>
    {
        var f = make(c);
        return (x, y) =>
        {
            for (var i = 0; i < x.Length; i++) y[i] = f(x[i]);
        };
    });

    public static readonly Unary Relu = Of((x, y) => TensorPrimitives.Max(x, 0f, y));
    public static readonly Unary Sigmoid = Of(TensorPrimitives.Sigmoid);
    public static readonly Unary Sqrt = Of(TensorPrimitives.Sqrt);
    public static readonly Unary Exp = Of(TensorPrimitives.Exp);
    public static readonly Unary Tanh = Of(TensorPrimitives.Tanh);
    public static readonly Unary Abs = Of(TensorPrimitives.Abs);
    public static readonly Unary Neg = Of(TensorPrimitives.Negate);
    public static readonly Unary Reciprocal = Of(TensorPrimitives.Reciprocal);
    public static readonly Unary Erf = PerElement(_ => ErrorFunction.Of);

    public static readonly Unary LeakyRelu = PerElement(c =>
    {
        var alpha = c.Node.Float("alpha", 0.01f);
        return v => v >= 0 ? v : v * alpha;
    });

    public static readonly Unary HardSigmoid = PerElement(c =>
    {
        var (alpha, beta) = (c.Node.Float("alpha", 0.2f), c.Node.Float("beta", 0.5f));
        return v => Math.Clamp(alpha * v + beta, 0f, 1f);
    });

    public static readonly Unary HardSwish = PerElement(_ => v => v * Math.Clamp(v / 6f + 0.5f, 0f, 1f));

    /// <summary>Clip: bounds are attributes before opset 11 and optional constant inputs from 11.</summary>
    public static readonly Unary Clip = new(c =>
    {
        var min = c.FloatFrom(1, "min") ?? float.NegativeInfinity;
        var max = c.FloatFrom(2, "max") ?? float.PositiveInfinity;
        return (x, y) =>
        {
            TensorPrimitives.Max(x, min, y);
            TensorPrimitives.Min(y, max, y);
        };
    });

    /// <summary>Cast: values travel as floats; a cast to an integer type truncates, to bool tests for non-zero.</summary>
    public static readonly Unary Cast = new(c => c.Node.Int("to", 1) switch
    {
        1 or 10 or 11 or 16 => (x, y) => x.CopyTo(y),
        9 => (x, y) => { for (var i = 0; i < x.Length; i++) y[i] = x[i] != 0 ? 1 : 0; },
        2 or 3 or 4 or 5 or 6 or 7 or 12 or 13 => (x, y) => { for (var i = 0; i < x.Length; i++) y[i] = MathF.Truncate(x[i]); },
        var to => throw c.Unsupported($"Cast to ONNX data type {to} is not supported"),
    });
}
