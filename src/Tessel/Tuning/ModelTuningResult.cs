using Tessel.Selective;
using Tessel.Tasks;

namespace Tessel.Tuning;

/// <summary>What tuning a model did: each task's outcome, the plan that said which task shares whose schedules,
/// and the tasks skipped as already tuned.</summary>
public sealed record ModelTuningResult(IReadOnlyList<TaskOutcome> Outcomes, DependencePlan Plan, IReadOnlySet<TuningTask> Skipped);
