using System.Numerics.Tensors;

namespace Tessel.Graph.Operators;

/// <summary>Element-wise ops of two inputs with NumPy broadcasting (Add, Sub, Mul, Div, Pow, Equal ...).
/// Dims are merged where both inputs broadcast alike, so the work is a loop of long contiguous runs, each
/// run vector-vector, vector-scalar or scalar-vector.</summary>
public sealed class Binary(Binary.VectorVector vv, Binary.VectorScalar vs, Binary.ScalarVector sv) : IOperator
{
    public delegate void VectorVector(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y);
    public delegate void VectorScalar(ReadOnlySpan<float> a, float b, Span<float> y);
    public delegate void ScalarVector(float a, ReadOnlySpan<float> b, Span<float> y);

    public int[][] InferShapes(OpContext c)
    {
        try { return [Shapes.Broadcast(c.Shape(0), c.Shape(1))]; }
        catch (NotSupportedException e) { throw c.Unsupported(e.Message); }
    }

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var shape = InferShapes(c)[0];
        var (a, b, y) = (inputs[0], inputs[1], outputs[0]);
        var (dims, sa, sb) = Merge(shape, Shapes.BroadcastStrides(c.Shape(0), shape), Shapes.BroadcastStrides(c.Shape(1), shape));
        var run = dims[^1];
        var (innerA, innerB) = (sa[^1], sb[^1]);
        var outer = dims[..^1];
        var mapA = Shapes.GatherMap(outer, sa[..^1]);
        var mapB = Shapes.GatherMap(outer, sb[..^1]);
        if (run == 0 || mapA.Length == 0) return () => { };
        // Output elements [from, to) cross runs: each run's part of it is one span call.
        return KernelRuntime.WorkPool.Split(mapA.Length * run, c.Threads, (from, to) =>
        {
            for (var i = from / run; i * run < to; i++)
            {
                var start = Math.Max(from, i * run) - i * run;
                var length = Math.Min(to, (i + 1) * run) - i * run - start;
                var dst = y.AsSpan(i * run + start, length);
                if (innerA != 0 && innerB != 0) vv(a.AsSpan(mapA[i] + start, length), b.AsSpan(mapB[i] + start, length), dst);
                else if (innerA != 0) vs(a.AsSpan(mapA[i] + start, length), b[mapB[i]], dst);
                else if (innerB != 0) sv(a[mapA[i]], b.AsSpan(mapB[i] + start, length), dst);
                else dst.Fill(Scalar(a[mapA[i]], b[mapB[i]]));
            }
        });
    }

    private float Scalar(float a, float b)
    {
        Span<float> y = stackalloc float[1];
        vs([a], b, y);
        return y[0];
    }

    /// <summary>Drops size-1 dims and merges neighbours where both inputs are contiguous or both broadcast alike.</summary>
    private static (int[] Dims, int[] A, int[] B) Merge(int[] shape, int[] sa, int[] sb)
    {
        var dims = new List<int>();
        var a = new List<int>();
        var b = new List<int>();
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1) continue;
            if (dims.Count > 0 && sa[i] * shape[i] == a[^1] && sb[i] * shape[i] == b[^1])
            {
                dims[^1] *= shape[i];
                a[^1] = sa[i];
                b[^1] = sb[i];
                continue;
            }
            dims.Add(shape[i]);
            a.Add(sa[i]);
            b.Add(sb[i]);
        }
        if (dims.Count == 0) { dims.Add(1); a.Add(1); b.Add(1); }
        return (dims.ToArray(), a.ToArray(), b.ToArray());
    }

    public static readonly Binary Add = new(TensorPrimitives.Add, TensorPrimitives.Add, (a, b, y) => TensorPrimitives.Add(b, a, y));
    public static readonly Binary Sub = new(TensorPrimitives.Subtract, TensorPrimitives.Subtract, TensorPrimitives.Subtract);
    public static readonly Binary Mul = new(TensorPrimitives.Multiply, TensorPrimitives.Multiply, (a, b, y) => TensorPrimitives.Multiply(b, a, y));
    public static readonly Binary Div = new(TensorPrimitives.Divide, TensorPrimitives.Divide, TensorPrimitives.Divide);
    public static readonly Binary Max = new(TensorPrimitives.Max, TensorPrimitives.Max, (a, b, y) => TensorPrimitives.Max(b, a, y));
    public static readonly Binary Min = new(TensorPrimitives.Min, TensorPrimitives.Min, (a, b, y) => TensorPrimitives.Min(b, a, y));

    /// <summary>Pow with the squares and square roots exporters write (LayerNorm's Pow 2) done as a multiply.</summary>
    public static readonly Binary Pow = new(TensorPrimitives.Pow,
        (a, b, y) => { if (b == 2) TensorPrimitives.Multiply(a, a, y); else if (b == 0.5f) TensorPrimitives.Sqrt(a, y); else TensorPrimitives.Pow(a, b, y); },
        TensorPrimitives.Pow);

    public static readonly Binary Equal = Compare((a, b) => a == b);
    public static readonly Binary Less = Compare((a, b) => a < b);
    public static readonly Binary Greater = Compare((a, b) => a > b);

    private static Binary Compare(Func<float, float, bool> test) => new(
        (a, b, y) => { for (var i = 0; i < y.Length; i++) y[i] = test(a[i], b[i]) ? 1 : 0; },
        (a, b, y) => { for (var i = 0; i < y.Length; i++) y[i] = test(a[i], b) ? 1 : 0; },
        (a, b, y) => { for (var i = 0; i < y.Length; i++) y[i] = test(a, b[i]) ? 1 : 0; });
}
