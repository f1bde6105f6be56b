using System.Runtime.InteropServices;
using System.IO.Hashing;

namespace Tessel.Runtime.Artifacts;

/// <summary>An artifact's constants in one binary file: a 64-byte header (<c>TESSELW1</c>), then each tensor's
/// float32 values, little-endian, starting on a 64-byte boundary (kernels read their packed weights in place, as
/// whole vectors). A file of another length or XXH128 hash than the manifest's is refused.</summary>
public static class WeightsFile
{
    private const int Alignment = 64;
    private static ReadOnlySpan<byte> Magic => "TESSELW1"u8;

    public static WeightsIndex Write(string path, string name, IEnumerable<(string Name, float[] Values)> tensors)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
        var hash = new XxHash128();
        void Put(ReadOnlySpan<byte> bytes) { file.Write(bytes); hash.Append(bytes); }
        var header = new byte[Alignment];
        Magic.CopyTo(header);
        Put(header);
        var entries = new List<WeightEntry>();
        foreach (var (tensor, values) in tensors)
        {
            Put(new byte[Padding(file.Position)]);
            entries.Add(new WeightEntry(tensor, file.Position, values.Length));
            Put(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        return new WeightsIndex(name, file.Position, Convert.ToHexStringLower(hash.GetCurrentHash()), entries.ToArray());
    }

    /// <summary>The weights file of <paramref name="index"/> in <paramref name="directory"/>, mapped into memory and
    /// checked whole: kernels read their packed weights in place, and a load copies nothing but the plain ops'
    /// constants. (Mapped pages come from the page cache; fresh memory cost a load about 3 ms per MB on a VM here.)</summary>
    /// <exception cref="FileNotFoundException">the file is missing</exception>
    /// <exception cref="InvalidDataException">its length, header, layout or XXH128 hash is not the manifest's</exception>
    public static MappedWeights Map(string directory, WeightsIndex index)
    {
        var path = Path.Combine(directory, index.Path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: the artifact's weights file is missing", path);
        var length = new FileInfo(path).Length;
        if (length != index.Length)
            throw new InvalidDataException($"{path}: {length} bytes where the manifest says {index.Length}: the weights file is truncated or altered");
        if (length < Alignment) throw new InvalidDataException($"{path}: {length} bytes, shorter than its header");
        var mapped = new MappedWeights(path, length);
        try
        {
            if (!mapped.Bytes(0, Magic.Length).SequenceEqual(Magic)) throw new InvalidDataException($"{path}: not a Tessel weights file (no TESSELW1 header)");
            var hash = new XxHash128();
            for (long at = 0; at < length; at += 1 << 30) hash.Append(mapped.Bytes(at, (int)Math.Min(1 << 30, length - at)));
            var found = Convert.ToHexStringLower(hash.GetCurrentHash());
            if (!string.Equals(found, index.Xxh128, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"{path}: its hash (XXH128 {found}) is not the manifest's ({index.Xxh128}): the weights file was altered");
            foreach (var entry in index.Tensors)
            {
                if (entry.Offset < Alignment || entry.Offset % Alignment != 0 || entry.Length < 0 || entry.Offset + 4L * entry.Length > length)
                    throw new InvalidDataException($"{path}: tensor '{entry.Name}' lies outside the file (offset {entry.Offset}, {entry.Length} floats)");
                if (!mapped.Add(entry)) throw new InvalidDataException($"{path}: tensor '{entry.Name}' is listed twice");
            }
            return mapped;
        }
        catch
        {
            mapped.Dispose();
            throw;
        }
    }

    private static int Padding(long position) => (int)((Alignment - position % Alignment) % Alignment);
}
