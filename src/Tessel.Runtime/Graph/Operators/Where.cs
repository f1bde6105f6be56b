namespace Tessel.Graph.Operators;

/// <summary>Where(condition, x, y) with broadcasting: exporters use it in shape arithmetic.</summary>
public sealed class Where : IOperator
{
    public static readonly Where Instance = new();

    public int[][] InferShapes(OpContext c) => [Shapes.Broadcast(Shapes.Broadcast(c.Shape(0), c.Shape(1)), c.Shape(2))];

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var shape = InferShapes(c)[0];
        var maps = Enumerable.Range(0, 3).Select(i => Shapes.GatherMap(shape, Shapes.BroadcastStrides(c.Shape(i), shape))).ToArray();
        var (condition, x, y, output) = (inputs[0], inputs[1], inputs[2], outputs[0]);
        return () =>
        {
            for (var i = 0; i < output.Length; i++) output[i] = condition[maps[0][i]] != 0 ? x[maps[1][i]] : y[maps[2][i]];
        };
    }
}
