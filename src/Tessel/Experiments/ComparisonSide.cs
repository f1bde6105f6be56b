using System.Text.Json.Nodes;

namespace Tessel.Experiments;

/// <summary>One side of a full-vs-selective comparison: tuning time as the sum of the trials' costs (each trial's
/// measured wall time, build included, over the model's tasks in the log: resumed trials count) and as wall clock
/// (everything the side did, from its measurer's start; for a resumed side, the span of its log's trials), trials, and the model's latency with that log: the
/// mean over several compilations of it, each measured apart (<see cref="CompilationLatenciesMs"/>).</summary>
public sealed record ComparisonSide(double TuningSeconds, double WallSeconds, int Trials, IReadOnlyList<double> CompilationLatenciesMs)
{
    public double LatencyMs => CompilationLatenciesMs.Average();

    /// <summary>The log held the model's trials before this run: <see cref="WallSeconds"/> is then the span of the log's trials
    /// (first start to last end), not this run's clock.</summary>
    public bool Resumed { get; init; }

    public JsonObject ToJson() => new()
    {
        ["trial_cost_s"] = TuningSeconds, ["wall_s"] = WallSeconds, ["resumed"] = Resumed, ["latency_ms"] = LatencyMs, ["trials"] = Trials,
        ["latency_ms_each_compilation"] = new JsonArray([.. CompilationLatenciesMs.Select(ms => (JsonNode?)ms)]),
    };
}
