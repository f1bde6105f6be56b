namespace Tessel.Runtime.Steps;

/// <summary>What a step is, for profiles: the graph node it starts at, the tensor it writes last (after the
/// nodes it absorbed: a conv's folded BatchNormalization and activation), its kind (a kernel's task name or a
/// plain op's type), and for a kernel whose config came from a log, the seconds that config measured alone
/// when it was tuned (to set against its time inside the model).</summary>
public sealed record StepLabel(string Node, string Output, string Kind, double? TunedSeconds = null);
