using Tessel.Tasks;

namespace Tessel.Bench;

/// <summary>One operator benchmarked on its own: a name a reader recognises and the task that tunes it.</summary>
public sealed record BenchLayer(string Name, TuningTask Task);
