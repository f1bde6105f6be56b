namespace Tessel.Selective;

/// <summary>What became of the shared configs on their way into a dependent task's space: kept exactly,
/// kept with a tile clamped to the dependent's axis, dropped as duplicates after mapping (the same config, or the
/// same kernel: values the dependent's shape clamps away), or dropped because a knob value has no counterpart
/// there. With a share pool, <see cref="Picked"/> of the mapped ones are measured, chosen by the cost model
/// (<see cref="PickedByModel"/>) or, without one, best first.</summary>
public sealed record MappingStats(int Offered, int Exact, int Clamped, int Duplicates, int Unmappable)
{
    public int Shared => Exact + Clamped;

    /// <summary>How many of the mapped configs are measured: all of them unless a pool was offered.</summary>
    public int? Picked { get; init; }

    public bool PickedByModel { get; init; }

    /// <summary>Seconds spent fitting the model and ranking the pool (the tuner's overhead, not a trial).</summary>
    public double PickSeconds { get; init; }

    /// <summary>The configs the dependent task measures.</summary>
    public int Measured => Picked ?? Shared;

    public override string ToString() =>
        $"{Shared} of {Offered} shared ({Exact} exact, {Clamped} clamped, {Duplicates} duplicates dropped, {Unmappable} unmappable)" +
        (Picked is { } n ? $", {n} picked {(PickedByModel ? "by the cost model" : "best first")}" : "");
}
