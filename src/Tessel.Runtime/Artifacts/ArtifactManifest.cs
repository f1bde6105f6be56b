using Tessel.Runtime.Plans;

namespace Tessel.Runtime.Artifacts;

/// <summary>What an artifact directory holds and what running it needs (<c>manifest.json</c>): the format, the model's
/// inputs and outputs, the CPU features its kernels use, the threads its plan was chosen for, where it came from, each
/// kernel's workload, config and tuned cost, and the length and XXH128 hash of every file it loads.</summary>
/// <param name="Source">the model it was built from: its path (or <c>zoo:NAME</c>) and the file's SHA-256</param>
/// <param name="CpuFeatures">what <see cref="CpuFeatures"/> must find on the machine that loads it</param>
/// <param name="BuiltOn">the CPU it was built and its plan timed on</param>
/// <param name="KernelAssembly">null where the model has no tuned op</param>
public sealed record ArtifactManifest(
    int FormatVersion,
    string TesselVersion,
    string Model,
    SourceModel Source,
    TensorInfo[] Inputs,
    TensorInfo[] Outputs,
    string[] CpuFeatures,
    int Threads,
    string LayoutPolicy,
    string BuiltOn,
    KernelSpec[] Kernels,
    ArtifactFile Plan,
    ArtifactFile? KernelAssembly,
    WeightsIndex Weights)
{
    /// <summary>The format this runtime writes and reads (and every older one); it refuses a newer one. 2: a BN pass may
    /// pool (<see cref="Plans.ChannelAffineStepSpec.Pool"/>) and a kernel may write at an offset (<see cref="Plans.PlanSpec.Offsets"/>),
    /// which a runtime reading format 1 would ignore and compute wrongly.</summary>
    public const int CurrentFormat = 2;
}

public sealed record SourceModel(string Path, string? Sha256);

/// <summary>A file of the artifact, by its path inside the directory, with its length and XXH128 hash (hex).</summary>
public sealed record ArtifactFile(string Path, long Length, string Xxh128);

/// <summary>The weights file: its length and XXH128 hash, and where each constant lies in it (byte offset, floats).</summary>
public sealed record WeightsIndex(string Path, long Length, string Xxh128, WeightEntry[] Tensors);

public sealed record WeightEntry(string Name, long Offset, int Length);
