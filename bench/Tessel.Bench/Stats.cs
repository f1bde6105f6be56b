namespace Tessel.Bench;

/// <summary>Small helpers for figures: medians and formatting.</summary>
public static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static string F(double value, int decimals = 1) =>
        double.IsFinite(value) ? value.ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture) : "-";
}
