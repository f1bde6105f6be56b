namespace Tessel.Graph.Rewrites;

/// <summary>An average pool whose k x k windows at stride k, with no pads, tile its input exactly: each output is the mean of
/// its own k² inputs, so ceil mode and count_include_pad change nothing, and the pool commutes with anything per pixel.</summary>
public static class TilingAveragePool
{
    /// <summary>k where <paramref name="node"/> is such a pool; else null.</summary>
    public static int? Size(Node node, IReadOnlyDictionary<string, int[]> shapes)
    {
        if (node.OpType != "AveragePool" || node.Ints("kernel_shape", []) is not [var k, var kw] || kw != k || k < 2) return null;
        var tiles = node.Ints("strides", [1, 1]).All(s => s == k) && node.Ints("pads", [0, 0, 0, 0]).All(p => p == 0)
            && node.Ints("dilations", [1, 1]).All(d => d == 1) && node.Outputs.Skip(1).All(o => o.Length == 0)
            && shapes[node.Inputs[0]] is [_, _, var h, var w] && h % k == 0 && w % k == 0;
        return tiles ? k : null;
    }
}
