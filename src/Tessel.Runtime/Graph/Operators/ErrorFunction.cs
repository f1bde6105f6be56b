namespace Tessel.Graph.Operators;

/// <summary>erf(x), which .NET's math library lacks: Abramowitz and Stegun 7.1.26 (absolute error below
/// 1.5e-7, under float precision near 1) evaluated in double.</summary>
public static class ErrorFunction
{
    public static float Of(float x)
    {
        double v = Math.Abs(x);
        var t = 1 / (1 + 0.3275911 * v);
        var poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        var y = 1 - poly * Math.Exp(-v * v);
        return (float)(x < 0 ? -y : y);
    }
}
