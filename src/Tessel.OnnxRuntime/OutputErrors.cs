namespace Tessel.OnnxRuntime;

/// <summary>How far a model's outputs are from the reference's: the largest absolute difference over all
/// outputs, and the largest relative to each output's largest magnitude (what "agrees within 1e-3" means).</summary>
public static class OutputErrors
{
    public static (double MaxAbs, double MaxRel) Compare(float[][] expected, float[][] actual)
    {
        double maxAbs = 0, maxRel = 0;
        for (var o = 0; o < expected.Length; o++)
        {
            if (expected[o].Length != actual[o].Length) return (double.PositiveInfinity, double.PositiveInfinity);
            var abs = expected[o].Zip(actual[o], (e, a) => Math.Abs((double)e - a)).DefaultIfEmpty(0).Max();
            var scale = expected[o].Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max();
            maxAbs = Math.Max(maxAbs, abs);
            maxRel = Math.Max(maxRel, scale > 0 ? abs / scale : abs);
        }
        return (maxAbs, maxRel);
    }
}
