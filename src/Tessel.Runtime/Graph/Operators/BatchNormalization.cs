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
        return KernelRuntime.WorkPool.SplitPlanes(batch * channels, plane, c.Threads, (row, at, length) =>
        {
            var piece = y.AsSpan(at, length);
            TensorPrimitives.Multiply(x.AsSpan(at, length), scale[row % channels], piece);
            TensorPrimitives.Add(piece, shift[row % channels], piece);
        });
    }
}
