using Tessel.Graph;
using Tessel.OnnxRuntime;
using Tessel.Reports;

namespace Tessel.Cli.Reports;

/// <summary>Everything one report page shows: the model, what its log says of each task (<see cref="TuningSummary"/>),
/// the machine's limits, and where measured, the model's run beside ONNX Runtime's and a full log's comparison.</summary>
/// <param name="Log">the log or database the summary was read from</param>
public sealed record TuningReport(string Model, ModelGraph Graph, string Log, TuningSummary Summary, HostLimits Host)
{
    /// <summary>The model run with the log's kernels (with ONNX Runtime's latency and per-node profile where it ran).</summary>
    public ModelRun? Run { get; init; }

    /// <summary>Why the model was not run, where it was not.</summary>
    public string? RunSkipped { get; init; }

    public LogComparison? Comparison { get; init; }

    public string? FullLog { get; init; }

    public DateTimeOffset Written { get; init; } = DateTimeOffset.Now;

    public long ModelFlops => Summary.Tasks.Where(t => !t.Task.Alternative).Sum(t => t.Task.Flops * t.Task.Count);
}
