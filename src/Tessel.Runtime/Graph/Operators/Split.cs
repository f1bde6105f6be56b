namespace Tessel.Graph.Operators;

/// <summary>Split along an axis into parts given by the <c>split</c> attribute (before opset 13), the split
/// input (13+), or equal parts (one per output).</summary>
public sealed class Split : IOperator
{
    public static readonly Split Instance = new();

    private static int[] Parts(OpContext c)
    {
        var input = c.Shape(0);
        var axis = Shapes.Axis(c.Node.Int("axis", 0), input.Length);
        var count = c.Node.Outputs.Count;
        var parts = c.IntsFrom(1, "split");
        if (parts is null)
        {
            var size = (input[axis] + count - 1) / count;
            parts = Enumerable.Range(0, count).Select(i => Math.Min(size, input[axis] - i * size)).ToArray();
        }
        if (parts.Sum() != input[axis] || parts.Length != count)
            throw c.Unsupported($"Split of {input[axis]} into [{string.Join(",", parts)}] for {count} outputs");
        return parts;
    }

    public int[][] InferShapes(OpContext c)
    {
        var input = c.Shape(0);
        var axis = Shapes.Axis(c.Node.Int("axis", 0), input.Length);
        return Parts(c).Select(p => { var s = (int[])input.Clone(); s[axis] = p; return s; }).ToArray();
    }

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var input = c.Shape(0);
        var axis = Shapes.Axis(c.Node.Int("axis", 0), input.Length);
        var (outer, inner) = (Shapes.Size(input, 0, axis), Shapes.Size(input, axis + 1, input.Length));
        var blocks = Parts(c).Select(p => p * inner).ToArray();
        var data = inputs[0];
        return () =>
        {
            var at = 0;
            for (var o = 0; o < outer; o++)
                for (var i = 0; i < blocks.Length; i++)
                {
                    Array.Copy(data, at, outputs[i], o * blocks[i], blocks[i]);
                    at += blocks[i];
                }
        };
    }
}
