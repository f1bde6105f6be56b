namespace Tessel.Graph.Operators;

/// <summary>Shape (with opset 15's start / end): known once input shapes are fixed, so it always folds.</summary>
public sealed class ShapeOf : IOperator
{
    public static readonly ShapeOf Instance = new();

    private static int[] Dims(OpContext c)
    {
        var input = c.Shape(0);
        var start = Math.Clamp(c.Node.Int("start", 0) is var s && s < 0 ? s + input.Length : s, 0, input.Length);
        var end = Math.Clamp(c.Node.Int("end", input.Length) is var e && e < 0 ? e + input.Length : e, 0, input.Length);
        return input[start..Math.Max(start, end)];
    }

    public int[][] InferShapes(OpContext c) => [[Dims(c).Length]];

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var dims = Dims(c).Select(d => (float)d).ToArray();
        return () => dims.CopyTo(outputs[0], 0);
    }
}
