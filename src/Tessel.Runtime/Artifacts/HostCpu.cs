namespace Tessel.Runtime.Artifacts;

/// <summary>This machine's CPU in a line, for manifests and messages: its model name (from <c>/proc/cpuinfo</c> where
/// there is one), the vector features an artifact may need, and the logical cores. A chip whose AVX-512 the runtime
/// leaves unused (<c>DOTNET_EnableAVX512=0</c>, as the AVX2 shipped records were measured) says so: it is then an
/// AVX2 machine to every kernel, but not the slow AVX2 chip its features alone suggest.</summary>
public static class HostCpu
{
    public static string Describe()
    {
        var name = ReadModelName() ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
        var off = !CpuFeatures.Has("avx512") && ChipFlags().Contains("avx512f") ? " (the chip's avx512 off in .NET)" : "";
        return $"{name}, {string.Join("+", CpuFeatures.Host.DefaultIfEmpty("no avx2"))}{off}, {Environment.ProcessorCount} cores";
    }

    private static IReadOnlySet<string> ChipFlags() =>
        (CpuInfoField("flags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    private static string? CpuInfoField(string key)
    {
        try
        {
            if (!File.Exists("/proc/cpuinfo")) return null;
            var line = File.ReadLines("/proc/cpuinfo").Take(64).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal) && l.Contains(':'));
            return line?.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? ReadModelName()
    {
        var model = CpuInfoField("model name");
        return model is null ? null : $"{model} (family {CpuInfoField("cpu family")} model {CpuInfoField("model\t")})";
    }
}
