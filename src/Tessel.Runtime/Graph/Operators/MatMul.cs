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
        // Each output row is independent: a large product's rows (over every batch) are shared among the threads, and
        // each share multiplies its rows of one matrix at a time.
        return KernelRuntime.WorkPool.SplitRows(aStarts.Length * m, (long)k * n, c.Threads, (from, to) =>
        {
            for (var r = from; r < to;)
            {
                var (p, i) = Math.DivRem(r, m);
                var rows = Math.Min(to - r, m - i);
                Multiply(x.AsSpan(aStarts[p] + i * k, rows * k), w.AsSpan(bStarts[p], k * n), y.AsSpan(p * m * n + i * n, rows * n), rows, k, n);
                r += rows;
            }
        });
    }

    /// <summary>y[m, n] = sum_k a[m, k] * b[k, n]: four rows at a time in panels of 16 columns (8 sums in registers over the
    /// whole of k, each load of b used by four rows), the last panels 8 wide ending at n; rows left over one at a time
    /// (<see cref="OneRow"/>). Attention's products are small (PP-OCRv4's 40 x 40 by 40 x 15 per head): a library
    /// multiply-add per (row, kk) cost more in calls than in work (5-9x ONNX Runtime's time for the same node), and one
    /// row at a time loaded b once per multiply-add (2.1x ONNX Runtime's time; Zen 4, 1 thread).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int m, int k, int n)
    {
        var i = 0;
        if (n >= 8)
            for (; i + 4 <= m; i += 4) FourRows(a.Slice(i * k, 4 * k), b, y.Slice(i * n, 4 * n), k, n);
        for (; i < m; i++) OneRow(a.Slice(i * k, k), b, y.Slice(i * n, n), k, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRows(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int k, int n)
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        ref var py = ref MemoryMarshal.GetReference(y);
        var (k1, k2, k3) = ((nuint)k, (nuint)(2 * k), (nuint)(3 * k));
        var (n1, n2, n3) = ((nuint)n, (nuint)(2 * n), (nuint)(3 * n));
        var j = 0;
        for (; j + 16 <= n; j += 16)
        {
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            for (var kk = 0; kk < k; kk++)
            {
                var from = (nuint)(kk * n + j);
                var (lo, hi) = (Vector256.LoadUnsafe(ref pb, from), Vector256.LoadUnsafe(ref pb, from + 8));
                var at = (nuint)kk;
                var (v0, v1) = (Vector256.Create(Unsafe.Add(ref pa, at)), Vector256.Create(Unsafe.Add(ref pa, at + k1)));
                (s0, s1) = (Vector256.FusedMultiplyAdd(v0, lo, s0), Vector256.FusedMultiplyAdd(v0, hi, s1));
                (s2, s3) = (Vector256.FusedMultiplyAdd(v1, lo, s2), Vector256.FusedMultiplyAdd(v1, hi, s3));
                var (v2, v3) = (Vector256.Create(Unsafe.Add(ref pa, at + k2)), Vector256.Create(Unsafe.Add(ref pa, at + k3)));
                (s4, s5) = (Vector256.FusedMultiplyAdd(v2, lo, s4), Vector256.FusedMultiplyAdd(v2, hi, s5));
                (s6, s7) = (Vector256.FusedMultiplyAdd(v3, lo, s6), Vector256.FusedMultiplyAdd(v3, hi, s7));
            }
            var to = (nuint)j;
            s0.StoreUnsafe(ref py, to); s1.StoreUnsafe(ref py, to + 8);
            s2.StoreUnsafe(ref py, to + n1); s3.StoreUnsafe(ref py, to + n1 + 8);
            s4.StoreUnsafe(ref py, to + n2); s5.StoreUnsafe(ref py, to + n2 + 8);
            s6.StoreUnsafe(ref py, to + n3); s7.StoreUnsafe(ref py, to + n3 + 8);
        }
        // The last 8-wide panels end at n, overlapping columns already written (same sums).
        for (; j < n; j += 8)
        {
            var panel = Math.Min(j, n - 8);
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (var kk = 0; kk < k; kk++)
            {
                var row = Vector256.LoadUnsafe(ref pb, (nuint)(kk * n + panel));
                var at = (nuint)kk;
                s0 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref pa, at)), row, s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref pa, at + k1)), row, s1);
                s2 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref pa, at + k2)), row, s2);
                s3 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref pa, at + k3)), row, s3);
            }
            var to = (nuint)panel;
            s0.StoreUnsafe(ref py, to); s1.StoreUnsafe(ref py, to + n1); s2.StoreUnsafe(ref py, to + n2); s3.StoreUnsafe(ref py, to + n3);
        }
    }

    /// <summary>One row of y: panels of 32, then of 8 columns (the last one ending at n), single columns only where n is
    /// under 8; a panel's sums stay in registers over the whole of k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OneRow(ReadOnlySpan<float> row, ReadOnlySpan<float> b, Span<float> y, int k, int n)
    {
        ref var pb = ref MemoryMarshal.GetReference(b);
        ref var py = ref MemoryMarshal.GetReference(y);
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
            var at = (nuint)j;
            s0.StoreUnsafe(ref py, at);
            s1.StoreUnsafe(ref py, at + 8);
            s2.StoreUnsafe(ref py, at + 16);
            s3.StoreUnsafe(ref py, at + 24);
        }
        // PP-OCRv4's 15-wide products left 7 columns to a scalar loop that read b down its columns.
        for (; j < n && n >= 8; j += 8)
        {
            var panel = Math.Min(j, n - 8);
            Vector256<float> s = default;
            for (var kk = 0; kk < k; kk++) s = Vector256.FusedMultiplyAdd(Vector256.Create(row[kk]), Vector256.LoadUnsafe(ref pb, (nuint)(kk * n + panel)), s);
            s.StoreUnsafe(ref py, (nuint)panel);
        }
        for (; j < n; j++)
        {
            var s = 0f;
            for (var kk = 0; kk < k; kk++) s = MathF.FusedMultiplyAdd(row[kk], b[kk * n + j], s);
            y[j] = s;
        }
    }
}
