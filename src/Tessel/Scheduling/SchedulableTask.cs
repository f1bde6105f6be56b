namespace Tessel.Scheduling;

/// <summary>What the allocation knows of a task.</summary>
/// <param name="Weight">occurrences in the model</param>
/// <param name="Flops">work of one call</param>
/// <param name="Similar">tasks with the same key are similar (the template): their throughputs bound each other's forecasts</param>
/// <param name="Operator">tasks with the same key implement one operator: the faster one counts</param>
public sealed record SchedulableTask(double Weight, long Flops, string Similar, string Operator);
