using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tessel.Graph.Operators;

/// <summary>MatMul with NumPy semantics (batch dims broadcast, 1-D operands promoted). A MatMul whose second
/// operand is a constant matrix runs as a tuned dense kernel; this plain form serves the rest (attention's
/// activation-by-activation products) as register-blocked rows.</summary>
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
        // Each output row is independent: a large product's rows (over every batch) are shared among the threads.
        return KernelRuntime.WorkPool.SplitRows(aStarts.Length * m, (long)k * n, c.Threads, (from, to) =>
        {
            for (var r = from; r < to; r++)
            {
                var (p, i) = Math.DivRem(r, m);
                Multiply(x.AsSpan(aStarts[p] + i * k, k), w.AsSpan(bStarts[p], k * n), y.AsSpan(p * m * n + i * n, n), 1, k, n);
            }
        });
    }

    /// <summary>y[m, n] = sum_k a[m, k] * b[k, n]: each output row in panels of 32, then of 8 columns (the last one ending at n), single columns only where n
    /// is under 8; a panel's sums stay in registers over the whole of k (a broadcast of a[i, kk] times a row piece of b).
    /// Attention's products are small (PP-OCRv4's 40 x 40 by 40 x 15 per head): a library multiply-add per (row, kk) cost more in calls than in work (5-9x ONNX Runtime's
    /// time for the same node).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int m, int k, int n)
    {
        ref var pb = ref MemoryMarshal.GetReference(b);
        ref var py = ref MemoryMarshal.GetReference(y);
        for (var i = 0; i < m; i++)
        {
            var row = a.Slice(i * k, k);
            var at = (nuint)(i * n);
            var j = 0;
            for (; j + 32 <= n; j += 32)
            {
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (var kk = 0; kk < k; kk++)
                {
                    var (v, from) = (Vector256.Create(row[kk]), (nuint)(kk * n + j));
                    s0 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref pb, from), s0);
                    s1 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref pb, from + 8), s1);
                    s2 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref pb, from + 16), s2);
                    s3 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref pb, from + 24), s3);
                }
                s0.StoreUnsafe(ref py, at + (nuint)j);
                s1.StoreUnsafe(ref py, at + (nuint)j + 8);
                s2.StoreUnsafe(ref py, at + (nuint)j + 16);
                s3.StoreUnsafe(ref py, at + (nuint)j + 24);
            }
            // The last 8-wide panel ends at n, overlapping columns already written (same sums): PP-OCRv4's 15-wide
            // products left 7 columns to a scalar loop that read b down its columns.
            for (; j < n && n >= 8; j += 8)
            {
                var panel = Math.Min(j, n - 8);
                Vector256<float> s = default;
                for (var kk = 0; kk < k; kk++) s = Vector256.FusedMultiplyAdd(Vector256.Create(row[kk]), Vector256.LoadUnsafe(ref pb, (nuint)(kk * n + panel)), s);
                s.StoreUnsafe(ref py, at + (nuint)panel);
            }
            for (; j < n; j++)
            {
                var s = 0f;
                for (var kk = 0; kk < k; kk++) s = MathF.FusedMultiplyAdd(row[kk], b[kk * n + j], s);
                y[i * n + j] = s;
            }
        }
    }
}
