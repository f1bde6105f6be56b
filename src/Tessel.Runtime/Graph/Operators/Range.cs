namespace Tessel.Graph.Operators;

/// <summary>Range(start, limit, delta) of constants: max(ceil((limit - start) / delta), 0) values.</summary>
public sealed class Range : IOperator
{
    public static readonly Range Instance = new();

    private static (float Start, float Delta, int Count) Plan(OpContext c)
    {
        float Scalar(int i) => (c.Constant(i) ?? throw c.Unsupported("Range inputs must be constant"))[0];
        var (start, limit, delta) = (Scalar(0), Scalar(1), Scalar(2));
        return (start, delta, Math.Max((int)Math.Ceiling((limit - start) / delta), 0));
    }

    public int[][] InferShapes(OpContext c) => [[Plan(c).Count]];

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var (start, delta, count) = Plan(c);
        return () => { for (var i = 0; i < count; i++) outputs[0][i] = start + i * delta; };
    }
}
