using System.Text.Json.Nodes;
using Tessel.Experiments;

namespace Tessel.Bench;

/// <summary>One selective run under a wall-clock budget: the budget (a fraction of full tuning's wall clock), the wall
/// clock it took (its process's start to its exit), its trials, and the model's latency with its log.</summary>
public sealed record BudgetedRun(double Fraction, double BudgetSeconds, double WallSeconds, int Trials, double LatencyMs);

/// <summary>One model and seed of the anytime experiment: full tuning's run (its wall clock, trials, and its log's latency
/// at cuts of that clock), the selective runs under budgets, and the untuned model (every kernel its default).</summary>
public sealed record AnytimeRun(string Model, int Seed, int Tasks, double FullWallSeconds, int FullTrials, double UntunedMs, AnytimeCurve Full,
    IReadOnlyList<BudgetedRun> Selective)
{
    public double FullMs => Full.Points[^1].LatencyMs;

    /// <summary>Full tuning's latency had it been stopped after the selective run's wall clock (its log cut there).</summary>
    public double FullMsAt(BudgetedRun run) => Full.LatencyAt(run.WallSeconds) ?? UntunedMs;

    public JsonObject ToJson() => new()
    {
        ["model"] = Model, ["seed"] = Seed, ["tasks"] = Tasks, ["full_wall_s"] = FullWallSeconds, ["full_trials"] = FullTrials, ["untuned_ms"] = UntunedMs,
        ["full_curve"] = new JsonArray([.. Full.Points.Select(p => (JsonNode)new JsonObject { ["s"] = p.Seconds, ["ms"] = p.LatencyMs })]),
        ["selective"] = new JsonArray([.. Selective.Select(b => (JsonNode)new JsonObject
        {
            ["fraction"] = b.Fraction, ["budget_s"] = b.BudgetSeconds, ["wall_s"] = b.WallSeconds, ["trials"] = b.Trials, ["ms"] = b.LatencyMs,
            ["full_cut_ms"] = FullMsAt(b),
        })]),
    };
}
