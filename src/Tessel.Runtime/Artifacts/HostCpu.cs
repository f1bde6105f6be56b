namespace Tessel.Runtime.Artifacts;

/// <summary>This machine's CPU in a line, for manifests and messages: its model name (from <c>/proc/cpuinfo</c> where
/// there is one), the vector features an artifact may need, and the logical cores.</summary>
public static class HostCpu
{
    public static string Describe()
    {
        var name = ReadModelName() ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
        return $"{name}, {string.Join("+", CpuFeatures.Host.DefaultIfEmpty("no avx2"))}, {Environment.ProcessorCount} cores";
    }

    private static string? ReadModelName()
    {
        try
        {
            if (!File.Exists("/proc/cpuinfo")) return null;
            var cpuinfo = File.ReadLines("/proc/cpuinfo").Take(64).ToList();
            string? Field(string key) => cpuinfo.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal) && l.Contains(':'))?.Split(':', 2)[1].Trim();
            var model = Field("model name");
            return model is null ? null : $"{model} (family {Field("cpu family")} model {Field("model\t")})";
        }
        catch (IOException)
        {
            return null;
        }
    }
}
