namespace Tessel.Cluster.Protocol;

/// <summary>One config to measure, as plain text (workload args and config entity in the log's JSON), so any
/// worker of the target can rebuild the task and config without sharing objects with the tuner.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkItem(
    [property: Id(0)] string Id,
    [property: Id(1)] string Target,
    [property: Id(2)] string TaskName,
    [property: Id(3)] string Args,
    [property: Id(4)] string Entity,
    [property: Id(5)] MeasureSettings Settings);
