using Tessel.Compilation;
using Tessel.Runtime;
using Tessel.Runtime.Plans;

namespace Tessel.Planning;

/// <summary>What the model compiler made of a graph: the plan as data (what an artifact stores), the constants it
/// names, the kernels' sources and their compiled image, and the plan bound and ready to run.</summary>
/// <param name="Constant">a constant's values by the name the plan gives it, or null</param>
/// <param name="Kernels">the plan's kernels, prepared, in <see cref="PlanSpec.Kernels"/>' order</param>
/// <param name="Counts">tuned ops (each occurrence) by where their config came from: the logs, shipped records, a similar
/// workload, the template's default</param>
public sealed record CompiledPlan(ExecutionPlan Plan, PlanSpec Spec, Func<string, float[]?> Constant, IReadOnlyList<Kernels.IKernel> Kernels,
    IReadOnlyList<KernelSource> Sources, byte[]? Image, KernelCounts Counts);
