namespace Tessel.Graph.Operators;

/// <summary>Ops that give the input's data a new shape without moving it: Reshape, Flatten, Squeeze,
/// Unsqueeze, and Identity / Dropout at inference.</summary>
public sealed class View(Func<OpContext, int[]> shape) : IOperator
{
    public bool IsView => true;

    public int[][] InferShapes(OpContext c)
    {
        var output = shape(c);
        if (Shapes.Size(output) != Shapes.Size(c.Shape(0)))
            throw c.Unsupported($"cannot view {Shapes.Format(c.Shape(0))} as {Shapes.Format(output)}");
        return [output];
    }

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var (x, y) = (inputs[0], outputs[0]);
        return () => { if (!ReferenceEquals(x, y)) x.AsSpan().CopyTo(y); };
    }

    public static readonly View Identity = new(c => c.Shape(0));

    /// <summary>Reshape: 0 copies the input's dim (unless allowzero), -1 takes what is left.</summary>
    public static readonly View Reshape = new(c =>
    {
        var input = c.Shape(0);
        var target = c.Has(1) ? c.ConstantInts(1) : c.Node.Ints("shape", []);
        var allowZero = c.Node.Int("allowzero", 0) == 1;
        var shape = target.Select((d, i) => d == 0 && !allowZero ? input[i] : d).ToArray();
        var known = shape.Where(d => d != -1).Aggregate(1L, (a, b) => a * b);
        var total = Shapes.Size(input);
        if (shape.Count(d => d == -1) > 1 || known == 0 && shape.Contains(-1))
            throw c.Unsupported($"Reshape target {Shapes.Format(target)} is ambiguous");
        return shape.Select(d => d == -1 ? (int)(total / known) : d).ToArray();
    });

    public static readonly View Flatten = new(c =>
    {
        var input = c.Shape(0);
        var axis = c.Node.Int("axis", 1);
        axis = axis < 0 ? axis + input.Length : axis;
        return [Shapes.Size(input, 0, axis), Shapes.Size(input, axis, input.Length)];
    });

    /// <summary>Squeeze: axes an attribute before opset 13, an input from 13; none given drops every 1.</summary>
    public static readonly View Squeeze = new(c =>
    {
        var input = c.Shape(0);
        var axes = c.IntsFrom(1, "axes")?.Select(a => Shapes.Axis(a, input.Length)).ToHashSet();
        if (axes is not null && axes.Any(a => input[a] != 1))
            throw c.Unsupported($"Squeeze of a dim that is not 1 in {Shapes.Format(input)}");
        return input.Where((d, i) => axes is null ? d != 1 : !axes.Contains(i)).ToArray();
    });

    public static readonly View Unsqueeze = new(c =>
    {
        var input = c.Shape(0);
        var axes = c.IntsFrom(1, "axes") ?? throw c.Unsupported("Unsqueeze without axes");
        var rank = input.Length + axes.Length;
        var set = axes.Select(a => Shapes.Axis(a, rank)).ToHashSet();
        var shape = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) shape[i] = set.Contains(i) ? 1 : input[j++];
        return shape;
    });
}
