using Tessel.Measure;
using Tessel.Tasks;

namespace Tessel.Reports;

/// <summary>What the log says of one task: its trials, errors by code, best cost and config, how it was tuned, and
/// its tuning curve.</summary>
/// <param name="RepresentativeId">the task whose schedules it shares (its own id for a representative)</param>
/// <param name="BytesMoved">bytes of its data, weight and output: the least a kernel must move</param>
public sealed record TaskSummary(
    ExtractedTask Task,
    string RepresentativeId,
    TaskTreatment Treatment,
    int Trials,
    IReadOnlyDictionary<MeasureErrorNo, int> Errors,
    double BestSeconds,
    string? BestConfig,
    IReadOnlyList<CurvePoint> Curve,
    double BytesMoved)
{
    public bool IsRepresentative => RepresentativeId == Task.Id;

    public bool Tuned => double.IsFinite(BestSeconds);

    public double BestGflops => Tuned && BestSeconds > 0 ? Task.Flops / BestSeconds / 1e9 : 0;

    /// <summary>FLOPs per byte moved: where the kernel sits on the roofline.</summary>
    public double Intensity => Task.Flops / BytesMoved;

    public int ErrorCount => Errors.Values.Sum();
}
