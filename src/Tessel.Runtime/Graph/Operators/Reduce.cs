namespace Tessel.Graph.Operators;

/// <summary>ReduceMean / ReduceSum / ReduceMax / ReduceMin over the given axes (an attribute before opset 18,
/// an input from 18; ReduceSum took the input form at 13), with keepdims.</summary>
public sealed class Reduce(Reduce.Kind kind) : IOperator
{
    public enum Kind { Mean, Sum, Max, Min }

    public static readonly Reduce Mean = new(Kind.Mean);
    public static readonly Reduce Sum = new(Kind.Sum);
    public static readonly Reduce Max = new(Kind.Max);
    public static readonly Reduce Min = new(Kind.Min);

    private static bool[] Reduced(OpContext c)
    {
        var rank = c.Shape(0).Length;
        var axes = c.IntsFrom(1, "axes");
        var reduced = new bool[rank];
        if (axes is null || axes.Length == 0)
        {
            if (c.Node.Int("noop_with_empty_axes", 0) == 0) Array.Fill(reduced, true);
        }
        else foreach (var a in axes) reduced[Shapes.Axis(a, rank)] = true;
        return reduced;
    }

    public int[][] InferShapes(OpContext c)
    {
        var input = c.Shape(0);
        var reduced = Reduced(c);
        var keep = c.Node.Int("keepdims", 1) == 1;
        return [input.Select((d, i) => reduced[i] ? (keep ? 1 : -1) : d).Where(d => d >= 0).ToArray()];
    }

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var input = c.Shape(0);
        var reduced = Reduced(c);
        // Each input element's output slot: strides of the kept dims, 0 along the reduced ones.
        var kept = input.Select((d, i) => reduced[i] ? 1 : d).ToArray();
        var strides = Shapes.Strides(kept).Select((s, i) => reduced[i] ? 0 : s).ToArray();
        var map = Shapes.GatherMap(input, strides);
        var count = Shapes.Size(input) / Math.Max(1, Shapes.Size(kept));
        var (x, y) = (inputs[0], outputs[0]);
        return () =>
        {
            y.AsSpan().Fill(kind switch { Kind.Max => float.NegativeInfinity, Kind.Min => float.PositiveInfinity, _ => 0 });
            for (var i = 0; i < x.Length; i++)
                y[map[i]] = kind switch { Kind.Max => Math.Max(y[map[i]], x[i]), Kind.Min => Math.Min(y[map[i]], x[i]), _ => y[map[i]] + x[i] };
            if (kind == Kind.Mean) System.Numerics.Tensors.TensorPrimitives.Multiply(y, 1f / count, y);
        };
    }
}
