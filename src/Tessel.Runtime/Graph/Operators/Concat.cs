namespace Tessel.Graph.Operators;

/// <summary>Concat along any axis: for each outer index, each input's contiguous block is copied in turn.</summary>
public sealed class Concat : IOperator
{
    public static readonly Concat Instance = new();

    public int[][] InferShapes(OpContext c)
    {
        var present = Enumerable.Range(0, c.Inputs.Length).Where(c.Has).Select(c.Shape).ToArray();
        var axis = Shapes.Axis(c.Node.Int("axis", 0), present[0].Length);
        if (present.Any(s => s.Length != present[0].Length || s.Where((d, i) => i != axis && d != present[0][i]).Any()))
            throw c.Unsupported($"Concat of mismatched shapes {string.Join(" ", present.Select(Shapes.Format))} on axis {axis}");
        var shape = (int[])present[0].Clone();
        shape[axis] = present.Sum(s => s[axis]);
        return [shape];
    }

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var shape = InferShapes(c)[0];
        var axis = Shapes.Axis(c.Node.Int("axis", 0), shape.Length);
        var outer = Shapes.Size(shape, 0, axis);
        var parts = Enumerable.Range(0, c.Inputs.Length).Where(c.Has)
            .Select(i => (Data: inputs[i], Block: Shapes.Size(c.Shape(i), axis, shape.Length))).ToArray();
        var output = outputs[0];
        return () =>
        {
            var at = 0;
            for (var o = 0; o < outer; o++)
                foreach (var (data, block) in parts)
                {
                    Array.Copy(data, o * block, output, at, block);
                    at += block;
                }
        };
    }
}
