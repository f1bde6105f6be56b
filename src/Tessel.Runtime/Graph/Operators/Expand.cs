namespace Tessel.Graph.Operators;

/// <summary>Expand: broadcast the input to a constant shape (the result has the broadcast of both).</summary>
public sealed class Expand : IOperator
{
    public static readonly Expand Instance = new();

    public int[][] InferShapes(OpContext c) => [Shapes.Broadcast(c.Shape(0), c.ConstantInts(1))];

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var shape = InferShapes(c)[0];
        return IndexMap.Gather(inputs[0], outputs[0], Shapes.GatherMap(shape, Shapes.BroadcastStrides(c.Shape(0), shape)));
    }
}
