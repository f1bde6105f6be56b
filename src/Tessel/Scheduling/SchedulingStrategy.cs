namespace Tessel.Scheduling;

/// <summary>How a model's trial budget is spread over its tasks: each task's budget in turn (the RFC's and
/// AutoTVM's way), rounds in turn, or rounds to the task expected to cut end-to-end latency most (Ansor).</summary>
public enum SchedulingStrategy
{
    Sequential,
    RoundRobin,
    Gradient,
}

public static class SchedulingStrategies
{
    public static IReadOnlyList<string> Names { get; } = ["sequential", "round-robin", "gradient"];

    public static SchedulingStrategy Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "sequential" => SchedulingStrategy.Sequential,
        "round-robin" => SchedulingStrategy.RoundRobin,
        "gradient" => SchedulingStrategy.Gradient,
        _ => throw new FormatException($"unknown strategy '{text}' (choose one of: {string.Join(", ", Names)})"),
    };
}
