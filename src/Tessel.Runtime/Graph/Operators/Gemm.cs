namespace Tessel.Graph.Operators;

/// <summary>Gemm: Y = alpha * A' B' + beta * C with optional transposes and C broadcast. One with a constant B
/// and no transA runs as a tuned dense kernel; this plain form covers the others.</summary>
public sealed class Gemm : IOperator
{
    public static readonly Gemm Instance = new();

    public int[][] InferShapes(OpContext c)
    {
        var (a, b) = (c.Shape(0), c.Shape(1));
        var m = c.Node.Int("transA", 0) == 1 ? a[1] : a[0];
        var n = c.Node.Int("transB", 0) == 1 ? b[0] : b[1];
        return [[m, n]];
    }

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var (a, b) = (c.Shape(0), c.Shape(1));
        var (transA, transB) = (c.Node.Int("transA", 0) == 1, c.Node.Int("transB", 0) == 1);
        var (m, k) = transA ? (a[1], a[0]) : (a[0], a[1]);
        var n = transB ? b[0] : b[1];
        var (alpha, beta) = (c.Node.Float("alpha", 1), c.Node.Float("beta", 1));
        var bias = c.Has(2) ? Shapes.GatherMap([m, n], Shapes.BroadcastStrides(c.Shape(2), [m, n])) : null;
        var (x, w, y) = (inputs[0], inputs[1], outputs[0]);
        var left = new float[m * k];
        var right = new float[k * n];
        return () =>
        {
            Arrange(x, left, transA, a);
            Arrange(w, right, transB, b);
            MatMul.Multiply(left, right, y, m, k, n);
            for (var i = 0; i < y.Length; i++) y[i] = alpha * y[i] + (bias is null ? 0 : beta * inputs[2][bias[i]]);
        };
    }

    private static void Arrange(float[] source, float[] target, bool transpose, int[] shape)
    {
        if (!transpose) { source.AsSpan(0, target.Length).CopyTo(target); return; }
        for (var r = 0; r < shape[0]; r++)
            for (var col = 0; col < shape[1]; col++) target[col * shape[0] + r] = source[r * shape[1] + col];
    }
}
