using Tessel.Records;
using Tessel.Records.Shipped;
using Tessel.Workloads;

namespace Tessel.Tests.Support;

/// <summary>Shipped files made in memory, for tests of what reads them: records written in the shipped format with a
/// header naming a made-up host, served by a catalog as the assembly's own would be.</summary>
public static class ShippedFiles
{
    public static ShippedHost Host(Target target) =>
        new(target.Text, "Test CPU (family 0 model 0), avx2+fma+avx512, 2 cores", "avx512", 2, "2026-01-02", "0.1.0", 8, "model", ["squeezenet1.1"], 3);

    public static byte[] Bytes(ShippedHost host, IEnumerable<TuningRecord> records)
    {
        using var memory = new MemoryStream();
        ShippedFile.Write(memory, host, records);
        return memory.ToArray();
    }

    /// <summary>A catalog holding one file, under the name the target's file has.</summary>
    public static ShippedCatalog Catalog(Target target, IEnumerable<TuningRecord> records) => Catalog(ShippedFile.NameFor(target), Bytes(Host(target), records));

    public static ShippedCatalog Catalog(string name, byte[] bytes) =>
        new(new Dictionary<string, Func<Stream>> { [name] = () => new MemoryStream(bytes) });
}
