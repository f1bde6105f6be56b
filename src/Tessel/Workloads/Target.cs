using System.Runtime.Intrinsics;

namespace Tessel.Workloads;

/// <summary>Where kernels run. Its text form goes first in every record's input, as AutoTVM's target
/// string does (<c>llvm -mcpu=...</c>, <c>cuda -model=...</c>); resuming a log checks it matches.</summary>
public sealed record Target(string Text)
{
    /// <summary>This machine's CPU, named by the widest vector ISA the JIT uses here.</summary>
    public static Target Host { get; } = new($"tessel-cpu -isa={HostIsa}");

    public static string HostIsa =>
        Vector512.IsHardwareAccelerated ? "avx512" : Vector256.IsHardwareAccelerated ? "avx2" : Vector128.IsHardwareAccelerated ? "sse" : "scalar";

    /// <summary>Whether split knobs are restricted to factors of their axis (<c>-split=factors</c>), as AutoTVM's
    /// x86 templates are; Tessel's own templates also take non-dividing tiles.</summary>
    public bool FactorSplits => Text.Split(' ').Contains("-split=factors");

    public Target WithFactorSplits() => FactorSplits ? this : new Target(Text + " -split=factors");

    /// <summary>The widest SIMD registers kernels may use on this target, in bits: 512 where the ISA is
    /// AVX-512, else 256 (AVX2; slower ISAs run the same code through the JIT's emulation).</summary>
    public int VectorBits => Text.Split(' ').Contains("-isa=avx512") ? 512 : 256;

    /// <summary>The first word of the target (<c>tessel-cpu</c>, <c>llvm</c>, <c>cuda</c>).</summary>
    public string Kind => Text.Split(' ', 2)[0];

    public override string ToString() => Text;
}
