using System.Numerics.Tensors;

namespace Tessel.Graph.Operators;

/// <summary>MatMul with NumPy semantics (batch dims broadcast, 1-D operands promoted). A MatMul whose second
/// operand is a constant matrix runs as a tuned dense kernel; this plain form serves the rest (attention's
/// activation-by-activation products) as rows of vector multiply-adds.</summary>
public sealed class MatMul : IOperator
{
    public static readonly MatMul Instance = new();

    private static (int[] Batch, int M, int K, int N, int[] Output) Plan(OpContext c)
    {
        var (a, b) = (c.Shape(0), c.Shape(1));
        var a2 = a.Length == 1 ? [1, a[0]] : a;
        var b2 = b.Length == 1 ? [b[0], 1] : b;
        if (a2[^1] != b2[^2]) throw c.Unsupported($"MatMul of {Shapes.Format(a)} and {Shapes.Format(b)}: inner dims differ");
        int[] batch;
        try { batch = Shapes.Broadcast(a2[..^2], b2[..^2]); }
        catch (NotSupportedException e) { throw c.Unsupported(e.Message); }
        var output = batch.ToList();
        if (a.Length > 1) output.Add(a2[^2]);
        if (b.Length > 1) output.Add(b2[^1]);
        return (batch, a2[^2], a2[^1], b2[^1], output.ToArray());
    }

    public int[][] InferShapes(OpContext c) => [Plan(c).Output];

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var (batch, m, k, n, _) = Plan(c);
        var (a, b) = (c.Shape(0), c.Shape(1));
        int[] BatchStarts(int[] shape, int matrix) =>
            Shapes.GatherMap(batch, Shapes.BroadcastStrides(shape.Length <= 2 ? [] : shape[..^2], batch).Select(s => s * matrix).ToArray());
        var aStarts = BatchStarts(a, m * k);
        var bStarts = BatchStarts(b, k * n);
        var (x, w, y) = (inputs[0], inputs[1], outputs[0]);
        return () =>
        {
            for (var p = 0; p < aStarts.Length; p++)
                Multiply(x.AsSpan(aStarts[p], m * k), w.AsSpan(bStarts[p], k * n), y.AsSpan(p * m * n, m * n), m, k, n);
        };
    }

    /// <summary>y[m, n] = sum_k a[m, k] * b[k, n], one output row at a time.</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int m, int k, int n)
    {
        y.Clear();
        for (var i = 0; i < m; i++)
        {
            var row = y.Slice(i * n, n);
            for (var j = 0; j < k; j++) TensorPrimitives.MultiplyAdd(b.Slice(j * n, n), a[i * k + j], row, row);
        }
    }
}
