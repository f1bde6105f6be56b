using System.Security.Cryptography;

namespace Tessel.Measure;

/// <summary>One compiled assembly holding a batch's kernels, named by a hash of its bytes so a worker
/// can tell whether it already has it loaded.</summary>
public sealed class KernelImage
{
    public KernelImage(byte[] bytes)
    {
        Bytes = bytes;
        Id = Convert.ToHexString(SHA256.HashData(bytes))[..24];
    }

    public byte[] Bytes { get; }

    public string Id { get; }

    public override string ToString() => $"image {Id} ({Bytes.Length} bytes)";
}
