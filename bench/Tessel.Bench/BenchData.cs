namespace Tessel.Bench;

/// <summary>The repository's test data the benches read: the real ONNX models (<c>tests/data/models</c>, with their
/// licenses and manifest) and an AutoTVM log. Found from the running binary up to the repository's root (the
/// folder holding <c>Tessel.slnx</c>), else from the current directory.</summary>
public static class BenchData
{
    public static string Root { get; } = FindRoot();

    public static string Models => Path.Combine(Root, "tests", "data", "models");

    public static string AutotvmLog => Path.Combine(Root, "tests", "data", "logs", "autotvm-v0.2.log");

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Tessel.slnx")))
                    return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
