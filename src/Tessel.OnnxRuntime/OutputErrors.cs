namespace Tessel.OnnxRuntime;

/// <summary>How far a model's outputs are from the reference's: the largest absolute difference over all
/// outputs, and the largest relative to each output's largest magnitude (what "agrees within 1e-3" means).</summary>
public static class OutputErrors
{
    public static (double MaxAbs, double MaxRel) Compare(float[][] expected, float[][] actual)
    {
        var each = PerOutput(expected, actual);
        return (each.Select(e => e.MaxAbs).DefaultIfEmpty(0).Max(), each.Select(e => e.MaxRel).DefaultIfEmpty(0).Max());
    }

    /// <summary>Each output's own errors, in the model's output order: a model whose outputs include a thresholded
    /// map can differ from the reference in a few values of one output, and a person must see which.</summary>
    public static IReadOnlyList<(double MaxAbs, double MaxRel)> PerOutput(float[][] expected, float[][] actual)
    {
        var each = new List<(double, double)>();
        for (var o = 0; o < expected.Length; o++)
        {
            if (o >= actual.Length || expected[o].Length != actual[o].Length) { each.Add((double.PositiveInfinity, double.PositiveInfinity)); continue; }
            var abs = expected[o].Zip(actual[o], (e, a) => Math.Abs((double)e - a)).DefaultIfEmpty(0).Max();
            var scale = expected[o].Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max();
            each.Add((abs, scale > 0 ? abs / scale : abs));
        }
        return each;
    }
}
