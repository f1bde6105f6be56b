using Tessel.Tasks;
using Tessel.Selective;
using Tessel.Tuners;

namespace Tessel.Tuning;

/// <summary>How one task of a selective run was tuned: in full (a representative, or a dependent whose
/// representative had nothing to share), or from shared schedules (with the mapping statistics).</summary>
public sealed record TaskOutcome(TuningTask Task, bool Representative, TuneResult Result, MappingStats? Sharing);
