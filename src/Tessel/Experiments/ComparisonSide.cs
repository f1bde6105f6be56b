using System.Text.Json.Nodes;

namespace Tessel.Experiments;

/// <summary>One side of a full-vs-selective comparison: tuning time (the sum of the trials' measured wall
/// time, build included, over the model's tasks in the log), trials, and the model's latency with that log: the
/// mean over several compilations of it, each measured apart (<see cref="CompilationLatenciesMs"/>).</summary>
public sealed record ComparisonSide(double TuningSeconds, int Trials, IReadOnlyList<double> CompilationLatenciesMs)
{
    public double LatencyMs => CompilationLatenciesMs.Average();

    public JsonObject ToJson() => new()
    {
        ["tuning_s"] = TuningSeconds, ["latency_ms"] = LatencyMs, ["trials"] = Trials,
        ["latency_ms_each_compilation"] = new JsonArray([.. CompilationLatenciesMs.Select(ms => (JsonNode?)ms)]),
    };
}
