namespace Tessel.IntegrationTests;

/// <summary>Tests that run alone, after the others: those of a localhost cluster share its fixed ports, the kill
/// tests and cluster workers load both cores for minutes, and tests that time (tune-op's FMA peak and ONNX Runtime,
/// flushed against warm calls, limits on how soon a hung or cancelled run ends) must not share the cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
