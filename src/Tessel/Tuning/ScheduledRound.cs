using Tessel.Tasks;
using Tessel.Tuners;

namespace Tessel.Tuning;

/// <summary>Where a scheduled run stands after a round: the round's task and its outcome so far.</summary>
public sealed record ScheduledRound(int Round, TuningTask Task, int Spent, int Total, TuneResult TaskResult);
