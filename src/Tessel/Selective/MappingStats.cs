namespace Tessel.Selective;

/// <summary>What became of the shared configs on their way into a dependent task's space: kept exactly,
/// kept with a tile clamped to the dependent's axis, dropped as duplicates after mapping, or dropped
/// because a knob value has no counterpart there.</summary>
public sealed record MappingStats(int Offered, int Exact, int Clamped, int Duplicates, int Unmappable)
{
    public int Shared => Exact + Clamped;

    public override string ToString() =>
        $"{Shared} of {Offered} shared ({Exact} exact, {Clamped} clamped, {Duplicates} duplicates dropped, {Unmappable} unmappable)";
}
