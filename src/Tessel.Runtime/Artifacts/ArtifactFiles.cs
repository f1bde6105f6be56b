using System.IO.Hashing;
using System.Text.Json;
using Tessel.Runtime.Plans;

namespace Tessel.Runtime.Artifacts;

/// <summary>The files of an artifact directory, and reading them with the checks a load makes: present, of the
/// manifest's length and XXH128 hash, JSON of the expected form.</summary>
public static class ArtifactFiles
{
    public const string Manifest = "manifest.json";
    public const string Plan = "plan.json";
    public const string Weights = "weights.bin";
    public const string KernelAssembly = "kernels.dll";

    /// <summary>The folder of the kernels' C# source, one file per kernel class.</summary>
    public const string KernelSources = "kernels";

    public static ArtifactManifest ReadManifest(string directory)
    {
        var path = Path.Combine(directory, Manifest);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no manifest: {directory} is not an artifact written by `tessel build`", path);
        var manifest = Parse(path, File.ReadAllBytes(path), ArtifactJson.Default.ArtifactManifest);
        if (manifest.FormatVersion > ArtifactManifest.CurrentFormat)
            throw new NotSupportedException($"{path}: artifact format {manifest.FormatVersion} is newer than this runtime reads ({ArtifactManifest.CurrentFormat}); " +
                $"update Tessel.Runtime to {manifest.TesselVersion} or later");
        return manifest;
    }

    public static PlanSpec ReadPlan(string directory, ArtifactFile file) =>
        Parse(Path.Combine(directory, file.Path), ReadChecked(directory, file), ArtifactJson.Default.PlanSpec);

    /// <summary>A file's bytes, refused where its length or XXH128 hash is not the manifest's.</summary>
    public static byte[] ReadChecked(string directory, ArtifactFile file)
    {
        var path = Path.Combine(directory, file.Path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: a file of the artifact is missing", path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != file.Length) throw new InvalidDataException($"{path}: {bytes.Length} bytes where the manifest says {file.Length}: truncated or altered");
        var found = Hash(bytes);
        if (!string.Equals(found, file.Xxh128, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{path}: its hash (XXH128 {found}) is not the manifest's ({file.Xxh128}): the file was altered");
        return bytes;
    }

    /// <summary>Writes <paramref name="bytes"/> as <paramref name="name"/> and describes it for the manifest.</summary>
    public static ArtifactFile Write(string directory, string name, byte[] bytes)
    {
        File.WriteAllBytes(Path.Combine(directory, name), bytes);
        return new ArtifactFile(name, bytes.Length, Hash(bytes));
    }

    /// <summary>XXH128 (hex): it checks 100 MB in about 10 ms, where SHA-256 took 250 ms here; it finds damage, not forgery
    /// (an artifact is code: trust it as you trust its source).</summary>
    private static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(XxHash128.Hash(bytes));

    public static byte[] ToJson(ArtifactManifest manifest) => JsonSerializer.SerializeToUtf8Bytes(manifest, ArtifactJson.Default.ArtifactManifest);

    public static byte[] ToJson(PlanSpec plan) => JsonSerializer.SerializeToUtf8Bytes(plan, ArtifactJson.Default.PlanSpec);

    private static T Parse<T>(string path, byte[] json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException($"{path}: empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }
}
