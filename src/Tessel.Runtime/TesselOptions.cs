using Tessel.Kernels;

namespace Tessel.Runtime;

/// <summary>How <see cref="TesselModel.Load"/> sets a model up.</summary>
public sealed class TesselOptions
{
    /// <summary>The most threads one run uses; null: the threads the artifact's plan was chosen for.</summary>
    public int? Threads { get; init; }

    /// <summary>Creates a kernel by its class name, for an app that compiles the artifact's kernel sources in
    /// (NativeAOT, where no assembly can be loaded at run time); null: load the artifact's <c>kernels.dll</c>.</summary>
    public Func<string, IKernel>? Kernels { get; init; }
}
