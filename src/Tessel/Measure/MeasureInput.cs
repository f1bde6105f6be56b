using Tessel.Spaces;
using Tessel.Tasks;

namespace Tessel.Measure;

/// <summary>What to measure: one config of one task.</summary>
public sealed record MeasureInput(TuningTask Task, ConfigEntity Config);
