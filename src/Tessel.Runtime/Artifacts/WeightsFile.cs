using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Tessel.Runtime.Artifacts;

/// <summary>An artifact's constants in one binary file: a 64-byte header (<c>TESSELW1</c>), then each tensor's
/// float32 values, little-endian, starting on a 64-byte boundary. It is read in one sequential pass straight into the
/// arrays the model uses, hashing as it goes: a file of another length or SHA-256 than the manifest's is refused.</summary>
public static class WeightsFile
{
    private const int Alignment = 64;
    private static ReadOnlySpan<byte> Magic => "TESSELW1"u8;

    public static WeightsIndex Write(string path, string name, IEnumerable<(string Name, float[] Values)> tensors)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Put(ReadOnlySpan<byte> bytes) { file.Write(bytes); hash.AppendData(bytes); }
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
        return new WeightsIndex(name, file.Position, Convert.ToHexStringLower(hash.GetHashAndReset()), entries.ToArray());
    }

    /// <summary>Every tensor of <paramref name="index"/>, read from <paramref name="directory"/> in one pass: those in
    /// <paramref name="streamed"/> into one reused buffer, handed to <paramref name="use"/> (a kernel packs its weight
    /// from it) and not kept, so a model's weights are not held twice while it loads; the others returned.</summary>
    /// <exception cref="FileNotFoundException">the file is missing</exception>
    /// <exception cref="InvalidDataException">its length, header, layout or SHA-256 is not the manifest's (found once the
    /// pass ends: what <paramref name="use"/> made of the tensors must then be thrown away)</exception>
    public static Dictionary<string, float[]> Read(string directory, WeightsIndex index, IReadOnlySet<string>? streamed = null,
        Action<string, ReadOnlySpan<float>>? use = null)
    {
        var path = Path.Combine(directory, index.Path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: the artifact's weights file is missing", path);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(handle);
        if (length != index.Length)
            throw new InvalidDataException($"{path}: {length} bytes where the manifest says {index.Length}: the weights file is truncated or altered");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long position = 0;
        void Take(Span<byte> bytes)
        {
            for (var done = 0; done < bytes.Length;)
            {
                var read = RandomAccess.Read(handle, bytes[done..], position + done);
                if (read == 0) throw new InvalidDataException($"{path}: ends at {position + done} bytes, before the {index.Length} the manifest says");
                done += read;
            }
            hash.AppendData(bytes);
            position += bytes.Length;
        }
        var header = new byte[Alignment];
        Take(header);
        if (!header.AsSpan(0, Magic.Length).SequenceEqual(Magic)) throw new InvalidDataException($"{path}: not a Tessel weights file (no TESSELW1 header)");
        var tensors = new Dictionary<string, float[]>(index.Tensors.Length, StringComparer.Ordinal);
        var scratch = Array.Empty<float>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in index.Tensors)
        {
            if (entry.Offset < position || entry.Offset % Alignment != 0 || entry.Length < 0 || entry.Offset + 4L * entry.Length > length)
                throw new InvalidDataException($"{path}: tensor '{entry.Name}' lies outside the file or out of order (offset {entry.Offset}, {entry.Length} floats)");
            if (!seen.Add(entry.Name)) throw new InvalidDataException($"{path}: tensor '{entry.Name}' is listed twice");
            if (entry.Offset > position) Take(new byte[entry.Offset - position]);
            if (streamed?.Contains(entry.Name) == true && use is not null)
            {
                if (scratch.Length < entry.Length) scratch = GC.AllocateUninitializedArray<float>(entry.Length);
                var values = scratch.AsSpan(0, entry.Length);
                Take(MemoryMarshal.AsBytes(values));
                use(entry.Name, values);
                continue;
            }
            var kept = GC.AllocateUninitializedArray<float>(entry.Length);
            Take(MemoryMarshal.AsBytes(kept.AsSpan()));
            tensors[entry.Name] = kept;
        }
        if (position != length) Take(new byte[length - position]);
        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (!string.Equals(sha, index.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{path}: SHA-256 {sha} is not the manifest's {index.Sha256}: the weights file was altered");
        return tensors;
    }

    private static int Padding(long position) => (int)((Alignment - position % Alignment) % Alignment);
}
