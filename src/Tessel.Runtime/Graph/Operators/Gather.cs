namespace Tessel.Graph.Operators;

/// <summary>Gather along an axis with constant indices (negative ones count from the end): shape arithmetic
/// picks dims with it, and models pick rows.</summary>
public sealed class Gather : IOperator
{
    public static readonly Gather Instance = new();

    public int[][] InferShapes(OpContext c)
    {
        var data = c.Shape(0);
        var axis = Shapes.Axis(c.Node.Int("axis", 0), data.Length);
        return [[.. data[..axis], .. c.Shape(1), .. data[(axis + 1)..]]];
    }

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var data = c.Shape(0);
        var axis = Shapes.Axis(c.Node.Int("axis", 0), data.Length);
        var indices = c.ConstantInts(1).Select(i => i < 0 ? i + data[axis] : i).ToArray();
        if (indices.Any(i => i < 0 || i >= data[axis])) throw c.Unsupported($"Gather index out of range for dim {data[axis]}");
        int outer = Shapes.Size(data, 0, axis), inner = Shapes.Size(data, axis + 1, data.Length);
        var map = new int[outer * indices.Length * inner];
        var at = 0;
        for (var o = 0; o < outer; o++)
            foreach (var index in indices)
                for (var i = 0; i < inner; i++) map[at++] = (o * data[axis] + index) * inner + i;
        return IndexMap.Gather(inputs[0], outputs[0], map);
    }
}
