namespace Tessel.Measure;

/// <summary>The outcome of one trial. <see cref="Costs"/> holds one mean time per repeat, in seconds
/// (empty on error); the error code is a separate field, and <see cref="ErrorMessage"/> is for people
/// only (never classify by it). <see cref="AllCost"/> is the wall time the trial took, build included.</summary>
public sealed record MeasureResult(
    IReadOnlyList<double> Costs,
    MeasureErrorNo ErrorNo,
    double AllCost,
    double Timestamp,
    string? ErrorMessage = null)
{
    /// <summary>Where the trial's time went, where the measurer tells (a local worker does; not kept in logs).</summary>
    public TrialStages? Stages { get; init; }

    public bool IsValid => ErrorNo == MeasureErrorNo.NoError && Costs.Count > 0;

    /// <summary>Mean of the repeats, seconds; +inf for an error.</summary>
    public double MeanCost => IsValid ? Costs.Average() : double.PositiveInfinity;

    public double MinCost => IsValid ? Costs.Min() : double.PositiveInfinity;

    /// <summary>Median of the repeats (the mean of the middle two for an even count); +inf for an error.</summary>
    public double MedianCost
    {
        get
        {
            if (!IsValid) return double.PositiveInfinity;
            var sorted = Costs.Order().ToArray();
            return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
        }
    }

    public static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    public static MeasureResult Error(MeasureErrorNo error, string message, double allCost = 0) =>
        new([], error, allCost, Now(), message);
}
