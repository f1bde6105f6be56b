using System.Text.Json.Nodes;

namespace Tessel.Experiments;

/// <summary>One side of a full-vs-selective comparison: tuning time (the sum of the trials' measured wall
/// time, build included, over the model's tasks in the log), trials, and the model's latency with that log.</summary>
public sealed record ComparisonSide(double TuningSeconds, int Trials, double LatencyMs)
{
    public JsonObject ToJson() => new() { ["tuning_s"] = TuningSeconds, ["latency_ms"] = LatencyMs, ["trials"] = Trials };
}
