namespace Tessel.Runtime.Plans;

/// <summary>One compiled kernel of a plan: its class in the kernels' assembly, the constant it is prepared with (its
/// weight in the operator's own layout, a BatchNormalization folded in) and the bias its fused epilogue adds. The
/// rest says where it came from: its task and workload, its config, and the seconds that config measured when tuned
/// (null: the template's default config, untuned). <see cref="Packed"/>: the weight constant is already in the kernel's own
/// layout (an artifact's), given to <c>PreparePacked</c> in place.</summary>
public sealed record KernelSpec(string ClassName, string Weight, string? FusedBias, string Task, string Workload, string Config, double? TunedSeconds,
    bool Packed = false);
