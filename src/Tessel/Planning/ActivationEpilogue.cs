using Tessel.Runtime.Steps;
using Tessel.Templates;

namespace Tessel.Planning;

/// <summary>A runtime activation as a kernel's fused epilogue (bias, then the function), so the kernel writes its
/// output once; null for sigmoid and swish, which need an exponential and keep the runtime's own pass.</summary>
public static class ActivationEpilogue
{
    public static FusedEpilogue? Of(Activation activation) => activation.Kind switch
    {
        Activation.Kinds.None => FusedEpilogue.BiasOnly,
        Activation.Kinds.Clamp => new(FusedEpilogue.Functions.Clamp, activation.A, activation.B),
        Activation.Kinds.Leaky => new(FusedEpilogue.Functions.Leaky, activation.A),
        Activation.Kinds.HardSigmoid => new(FusedEpilogue.Functions.HardSigmoid, activation.A, activation.B),
        Activation.Kinds.HardSwish => new(FusedEpilogue.Functions.HardSwish, activation.A, activation.B),
        _ => null,
    };
}
