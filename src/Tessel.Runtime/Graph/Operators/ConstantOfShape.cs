namespace Tessel.Graph.Operators;

/// <summary>ConstantOfShape: a tensor of a constant shape filled with <c>value</c> (float 0 when absent).</summary>
public sealed class ConstantOfShape : IOperator
{
    public static readonly ConstantOfShape Instance = new();

    public int[][] InferShapes(OpContext c) => [c.ConstantInts(0)];

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var value = c.Node.Attributes.TryGetValue("value", out var v) ? ((float[])v)[0] : 0f;
        return () => outputs[0].AsSpan().Fill(value);
    }
}
