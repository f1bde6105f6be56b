using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessel.Runtime.Artifacts;

/// <summary>The CPU features an artifact's kernels may need, by the names manifests use: <c>avx2</c> (256-bit
/// vectors), <c>fma</c>, and <c>avx512</c> (512-bit vectors: AVX-512 F, BW, CD, DQ and VL, what .NET needs to
/// accelerate them). A kernel checks its vectors at run time and falls back to scalar code without them, which
/// would run many times slower than it was tuned: so an artifact is refused where a feature is missing.</summary>
public static class CpuFeatures
{
    public static IReadOnlyList<string> Known { get; } = ["avx2", "fma", "avx512"];

    /// <summary>Whether this machine has <paramref name="feature"/>; false for a name this runtime does not know.</summary>
    public static bool Has(string feature) => feature switch
    {
        "avx2" => Avx2.IsSupported && Vector256.IsHardwareAccelerated,
        "fma" => Fma.IsSupported,
        "avx512" => Vector512.IsHardwareAccelerated,
        _ => false,
    };

    /// <summary>The features of <paramref name="required"/> this machine lacks, each with why.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<string> required) =>
        required.Where(f => !Has(f)).Select(f => Known.Contains(f) ? f : $"{f} (not a feature this runtime knows: {string.Join(", ", Known)})").ToList();

    /// <summary>This machine's features, by the manifest's names.</summary>
    public static IReadOnlyList<string> Host => Known.Where(Has).ToList();
}
