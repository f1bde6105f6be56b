namespace Tessel.Selective;

/// <summary>Where a workload's config comes from, in the order they are looked up: its own records (the user's log or
/// database: measured here, they always win), Tessel's shipped records of it, the best config of the most similar
/// workload (shipped or stored) mapped into its space, or its template's default.</summary>
public enum ConfigSource
{
    Log,
    Shipped,
    Similar,
    Default,
}
