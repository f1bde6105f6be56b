namespace Tessel.Graph.Operators;

/// <summary>Concat along any axis: for each outer index, each input's contiguous block is copied in turn (split among
/// the threads when the output is large).</summary>
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
        return Copies(parts, outer, outputs[0], c.Threads);
    }

    /// <summary>For each of <paramref name="outer"/> indices, each part's contiguous block in turn, into
    /// <paramref name="output"/>; also a blocked tensor's channel concat (<c>BlockedConcatStep</c>: one block per image).</summary>
    internal static Action Copies(IReadOnlyList<(float[] Data, int Block)> parts, int outer, float[] output, int threads)
    {
        // Every copy as (source, its offset, where it lands), in output order; a large concat's output is cut into one
        // contiguous share per thread, each copying the pieces of the copies that land in it.
        var copies = new List<(float[] Data, int From, int At, int Length)>();
        var at = 0;
        for (var o = 0; o < outer; o++)
            foreach (var (data, block) in parts)
            {
                copies.Add((data, o * block, at, block));
                at += block;
            }
        var starts = copies.Select(p => p.At).ToArray();
        return KernelRuntime.WorkPool.Split(at, threads, (from, to) =>
        {
            var first = Array.BinarySearch(starts, from);
            for (var i = first >= 0 ? first : ~first - 1; i < copies.Count && copies[i].At < to; i++)
            {
                var (data, offset, start, length) = copies[i];
                var (lo, hi) = (Math.Max(start, from), Math.Min(start + length, to));
                Array.Copy(data, offset + lo - start, output, lo, hi - lo);
            }
        });
    }
}
