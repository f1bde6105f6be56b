namespace Tessel.Tests.Support;

/// <summary>The repository's test data (<c>tests/data</c>), copied beside the test binaries: real ONNX models with
/// their licenses and manifest, and logs written by other tools. Nothing outside the repository is read.</summary>
public static class TestData
{
    public static string Models { get; } = Path.Combine(AppContext.BaseDirectory, "data", "models");

    public static string Model(string file) => Path.Combine(Models, file);

    /// <summary>A log AutoTVM wrote (record v0.2), with its own target and workload strings.</summary>
    public static string AutotvmLog { get; } = Path.Combine(AppContext.BaseDirectory, "data", "logs", "autotvm-v0.2.log");
}
