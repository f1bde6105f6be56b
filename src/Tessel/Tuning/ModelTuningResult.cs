using Tessel.Selective;
using Tessel.Tasks;

namespace Tessel.Tuning;

/// <summary>What tuning a model did: each task's outcome (its best as re-measured), the plan that said which task shares whose
/// schedules, the tasks skipped as already tuned, and what re-measuring the bests did and cost.</summary>
public sealed record ModelTuningResult(IReadOnlyList<TaskOutcome> Outcomes, DependencePlan Plan, IReadOnlySet<TuningTask> Skipped)
{
    public BestRemeasure.Outcome Remeasured { get; init; } = BestRemeasure.Outcome.None;
}
