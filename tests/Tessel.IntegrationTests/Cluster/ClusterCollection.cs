namespace Tessel.IntegrationTests.Cluster;

/// <summary>Tests that run one after another: those of a localhost cluster share its fixed ports, the kill tests and
/// cluster workers load both cores for minutes, and tune-op's FMA peak and ORT timings must not run beside them.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "localhost cluster";
}
