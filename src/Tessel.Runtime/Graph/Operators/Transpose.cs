namespace Tessel.Graph.Operators;

/// <summary>Transpose by <c>perm</c> (default: reverse the dims).</summary>
public sealed class Transpose : IOperator
{
    public static readonly Transpose Instance = new();

    private static int[] Perm(OpContext c) => c.Node.Ints("perm", Enumerable.Range(0, c.Shape(0).Length).Reverse().ToArray());

    public int[][] InferShapes(OpContext c) => [Perm(c).Select(p => c.Shape(0)[p]).ToArray()];

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var perm = Perm(c);
        var strides = Shapes.Strides(c.Shape(0));
        return IndexMap.Gather(inputs[0], outputs[0], Shapes.GatherMap(InferShapes(c)[0], perm.Select(p => strides[p]).ToArray()));
    }
}
