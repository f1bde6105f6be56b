namespace Tessel.Measure;

/// <summary>Where a kernel's measurement went in the worker: creating and preparing it (weights packed), its first
/// call (the JIT compiling it) and the correctness check, the pilot that sizes the repeats, and the timed repeats.</summary>
public sealed record WorkerStages(double PrepareSeconds, double FirstCallSeconds, double PilotSeconds, double RepeatsSeconds)
{
    public double Total => PrepareSeconds + FirstCallSeconds + PilotSeconds + RepeatsSeconds;
}

/// <summary>Where one trial's time went, as the local measurer saw it: emitting its source, its share of the batch's
/// compilation, the task's reference output (computed by the plain kernel), the task's tensors and the batch's image sent
/// to the worker (each paid by the first trial that needs it),
/// and the measure request's round trip (<paramref name="RunSeconds"/>), of which the worker's own stages are
/// <paramref name="Worker"/>; the rest of the round trip is the pipe.</summary>
public sealed record TrialStages(double EmitSeconds, double CompileSeconds, double ReferenceSeconds, double TaskLoadSeconds, double ImageLoadSeconds, double RunSeconds, WorkerStages? Worker)
{
    /// <summary>The round trip beyond the worker's own stages: messages through the pipe, the worker being scheduled.</summary>
    public double ExchangeSeconds => Worker is { } w ? Math.Max(0, RunSeconds - w.Total) : RunSeconds;
}
