using System.Numerics.Tensors;

namespace Tessel.Graph.Operators;

/// <summary>Inference batch normalisation along axis 1: y = x * scale[c] + shift[c] with
/// scale = gamma / sqrt(var + eps) and shift = beta - mean * scale. One after a conv is folded into its weights.</summary>
public sealed class BatchNormalization : IOperator
{
    public static readonly BatchNormalization Instance = new();

    public int[][] InferShapes(OpContext c) => [c.Shape(0)];

    public static (float[] Scale, float[] Shift) ScaleShift(Node node, float[] gamma, float[] beta, float[] mean, float[] variance)
    {
        var eps = node.Float("epsilon", 1e-5f);
        var scale = gamma.Select((g, i) => g / MathF.Sqrt(variance[i] + eps)).ToArray();
        return (scale, beta.Select((b, i) => b - mean[i] * scale[i]).ToArray());
    }

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var shape = c.Shape(0);
        int batch = shape[0], channels = shape[1], plane = Shapes.Size(shape, 2, shape.Length);
        var (x, y) = (inputs[0], outputs[0]);
        float[] Statistic(int i) => c.Constant(i) ?? throw c.Unsupported($"input '{c.Node.Inputs[i]}' must be a constant");
        var (scale, shift) = ScaleShift(c.Node, Statistic(1), Statistic(2), Statistic(3), Statistic(4));
        return () =>
        {
            for (var n = 0; n < batch; n++)
            for (var ch = 0; ch < channels; ch++)
            {
                // A long plane in pieces, which TensorPrimitives writes through the cache (see WorkPool.Piece).
                for (var at = (n * channels + ch) * plane; at < (n * channels + ch + 1) * plane; at += KernelRuntime.WorkPool.Piece)
                {
                    var row = y.AsSpan(at, Math.Min(KernelRuntime.WorkPool.Piece, (n * channels + ch + 1) * plane - at));
                    TensorPrimitives.Multiply(x.AsSpan(at, row.Length), scale[ch], row);
                    TensorPrimitives.Add(row, shift[ch], row);
                }
            }
        };
    }
}
