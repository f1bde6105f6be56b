using Tessel.Runtime.Steps;

namespace Tessel.Runtime;

/// <summary>One step's time inside a model (<see cref="ExecutionPlan.ProfileSteps"/>): in the model's order,
/// and rerun at once with its data warm; for a tuned kernel, beside the time its config measured alone.</summary>
public sealed record StepProfile(StepLabel Label, double InSequenceSeconds, double WarmSeconds)
{
    /// <summary>Seconds in order summed by kind of step: where a model's time goes.</summary>
    public static Dictionary<string, double> ByKind(IEnumerable<StepProfile> steps) =>
        steps.GroupBy(s => s.Label.Kind, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(s => s.InSequenceSeconds), StringComparer.Ordinal);
}
