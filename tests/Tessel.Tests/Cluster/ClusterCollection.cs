namespace Tessel.Tests.Cluster;

/// <summary>Tests that run a localhost cluster share its fixed ports: they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "localhost cluster";
}
