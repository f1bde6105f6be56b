namespace Tessel.Graph.Operators;

/// <summary>Slice: starts / ends / axes are attributes before opset 10 and inputs (with steps) from 10;
/// negative values count from the end and out-of-range ones are clamped, as ONNX says.</summary>
public sealed class Slice : IOperator
{
    public static readonly Slice Instance = new();

    private static (int[] Shape, int[] Strides, int Offset) Plan(OpContext c)
    {
        var input = c.Shape(0);
        var starts = c.IntsFrom(1, "starts") ?? throw c.Unsupported("Slice without starts");
        var ends = c.IntsFrom(2, "ends") ?? throw c.Unsupported("Slice without ends");
        var axes = c.IntsFrom(3, "axes") ?? Enumerable.Range(0, starts.Length).ToArray();
        var steps = c.Has(4) ? c.ConstantInts(4) : Enumerable.Repeat(1, starts.Length).ToArray();
        var shape = (int[])input.Clone();
        var own = Shapes.Strides(input);
        var strides = (int[])own.Clone();
        var offset = 0;
        for (var i = 0; i < starts.Length; i++)
        {
            var axis = Shapes.Axis(axes[i], input.Length);
            var (dim, step) = (input[axis], steps[i]);
            if (step == 0) throw c.Unsupported("Slice step 0");
            long start = starts[i] < 0 ? (long)starts[i] + dim : starts[i];
            long end = ends[i] < 0 ? (long)ends[i] + dim : ends[i];
            if (step > 0) { start = Math.Clamp(start, 0, dim); end = Math.Clamp(end, 0, dim); }
            else { start = Math.Clamp(start, 0, dim - 1); end = Math.Clamp(end, -1, dim - 1); }
            shape[axis] = (int)Math.Max(0, step > 0 ? (end - start + step - 1) / step : (start - end - step - 1) / -step);
            strides[axis] = own[axis] * step;
            offset += (int)start * own[axis];
        }
        return (shape, strides, offset);
    }

    public int[][] InferShapes(OpContext c) => [Plan(c).Shape];

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var (shape, strides, offset) = Plan(c);
        return IndexMap.Gather(inputs[0], outputs[0], Shapes.GatherMap(shape, strides, offset));
    }
}
