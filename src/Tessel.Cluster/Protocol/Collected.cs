namespace Tessel.Cluster.Protocol;

/// <summary>What a tuner's poll gets back: the items now measured, and the ids this queue does not know (it was
/// started afresh elsewhere after its silo left, or a second activation answered): those are sent again.</summary>
[GenerateSerializer, Immutable]
public sealed record Collected([property: Id(0)] WorkResult[] Done, [property: Id(1)] string[] Unknown);
