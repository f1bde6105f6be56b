using System.Numerics.Tensors;

namespace Tessel.Graph.Operators;

/// <summary>Softmax (and LogSoftmax). Before opset 13 the input is seen as 2-D [before axis, from axis on]
/// (default axis 1); from 13 it runs along one axis (default -1).</summary>
public sealed class Softmax(bool log) : IOperator
{
    public static readonly Softmax Instance = new(false);
    public static readonly Softmax Log = new(true);

    public int[][] InferShapes(OpContext c) => [c.Shape(0)];

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var shape = c.Shape(0);
        var axis = Shapes.Axis(c.Node.Int("axis", c.Opset < 13 ? 1 : -1), shape.Length);
        var (x, y) = (inputs[0], outputs[0]);
        if (c.Opset < 13 || axis == shape.Length - 1)
        {
            var row = Shapes.Size(shape, c.Opset < 13 ? axis : shape.Length - 1, shape.Length);
            // Rows are independent: a large softmax (PP-OCRv4's 40 x 6625 classes) shares them among the threads.
            return KernelRuntime.WorkPool.SplitRows(x.Length / row, row, c.Threads, (from, to) =>
            {
                for (var r = from; r < to; r++) Row(x.AsSpan(r * row, row), y.AsSpan(r * row, row));
            });
        }
        int outer = Shapes.Size(shape, 0, axis), n = shape[axis], inner = Shapes.Size(shape, axis + 1, shape.Length);
        var column = new float[n];
        var result = new float[n];
        return () =>
        {
            for (var o = 0; o < outer; o++)
            for (var i = 0; i < inner; i++)
            {
                var at = o * n * inner + i;
                for (var k = 0; k < n; k++) column[k] = x[at + k * inner];
                Row(column, result);
                for (var k = 0; k < n; k++) y[at + k * inner] = result[k];
            }
        };
    }

    private void Row(ReadOnlySpan<float> x, Span<float> y)
    {
        var max = TensorPrimitives.Max(x);
        if (log) { TensorPrimitives.Subtract(x, max + MathF.Log(ExponentialSum.Of(x, max, default)), y); return; }
        TensorPrimitives.Multiply(y, 1 / ExponentialSum.Of(x, max, y), y);
    }
}
