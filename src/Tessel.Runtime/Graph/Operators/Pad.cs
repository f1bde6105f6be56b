namespace Tessel.Graph.Operators;

/// <summary>Pad in constant, edge or reflect mode; pads are an attribute before opset 11 and an input from 11
/// ([x1_begin, x2_begin, ..., x1_end, x2_end, ...]), optionally on the listed axes only (opset 18).</summary>
public sealed class Pad : IOperator
{
    public static readonly Pad Instance = new();

    private static int[] Pads(OpContext c)
    {
        var rank = c.Shape(0).Length;
        var pads = c.IntsFrom(1, "pads") ?? throw c.Unsupported("Pad without pads");
        if (!c.Has(3)) return pads.Length == 2 * rank ? pads : throw c.Unsupported($"Pad has {pads.Length} pads for rank {rank}");
        var axes = c.ConstantInts(3).Select(a => Shapes.Axis(a, rank)).ToArray();
        var full = new int[2 * rank];
        for (var i = 0; i < axes.Length; i++) { full[axes[i]] = pads[i]; full[rank + axes[i]] = pads[axes.Length + i]; }
        return full;
    }

    public int[][] InferShapes(OpContext c)
    {
        var input = c.Shape(0);
        var pads = Pads(c);
        return [input.Select((d, i) => d + pads[i] + pads[input.Length + i]).ToArray()];
    }

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var input = c.Shape(0);
        var pads = Pads(c);
        var shape = InferShapes(c)[0];
        var mode = c.Node.Attributes.TryGetValue("mode", out var m) ? (string)m : "constant";
        var value = c.Has(2) ? (c.Constant(2) ?? throw c.Unsupported("Pad value must be constant"))[0] : c.Node.Float("value", 0);
        var strides = Shapes.Strides(input);
        var map = new int[Shapes.Size(shape)];
        var index = new int[shape.Length];
        for (var i = 0; i < map.Length; i++)
        {
            var at = 0;
            for (var d = 0; d < shape.Length && at >= 0; d++)
            {
                var source = index[d] - pads[d];
                var n = input[d];
                if (source < 0 || source >= n)
                    source = mode switch
                    {
                        "edge" => Math.Clamp(source, 0, n - 1),
                        "reflect" => n == 1 ? 0 : Reflect(source, n),
                        "constant" => -1,
                        _ => throw c.Unsupported($"Pad mode '{mode}'"),
                    };
                at = source < 0 ? -1 : at + source * strides[d];
            }
            map[i] = at;
            for (var d = shape.Length - 1; d >= 0 && ++index[d] == shape[d]; d--) index[d] = 0;
        }
        return IndexMap.Gather(inputs[0], outputs[0], map, value);
    }

    private static int Reflect(int i, int n)
    {
        var period = 2 * (n - 1);
        i = ((i % period) + period) % period;
        return i < n ? i : period - i;
    }
}
