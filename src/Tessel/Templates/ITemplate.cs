using Tessel.Spaces;
using Tessel.Tasks;

namespace Tessel.Templates;

/// <summary>A tunable operator for one target family: the knobs its space has for a workload, the C#
/// source of the kernel it emits for a config, and a naive reference to check every kernel against.</summary>
public interface ITemplate
{
    /// <summary>Task name as written in records, e.g. <c>conv2d_nchw.x86</c>.</summary>
    string TaskName { get; }

    /// <summary>The knobs for this workload on this target (the target decides, e.g., which vector widths exist).</summary>
    ConfigSpace DefineSpace(Workload workload, Target target);

    /// <summary>A fast, reasonable config used when nothing is tuned (a runtime fallback).</summary>
    ConfigEntity DefaultConfig(ConfigSpace space, Workload workload);

    long Flops(Workload workload);

    /// <summary>Shapes of the kernel's inputs: data first, then weight.</summary>
    KernelShapes Shapes(Workload workload);

    /// <summary>Whether the kernels take and give channel-blocked tensors (<see cref="Layouts.ChannelBlocks"/>):
    /// a model's runtime then needs their epilogue fused, as its own pass works on NCHW planes.</summary>
    bool BlocksChannels => false;

    /// <summary>The channel blocks a config's kernel reads and writes (1: NCHW), known before it is compiled:
    /// the runtime plans layout conversions with it. Its kernel's <see cref="Codegen.IKernel.Layout"/> says the same.</summary>
    (int Input, int Output) Blocks(Workload workload, ConfigEntity config) => (1, 1);

    /// <summary>Whether <see cref="EmitKernel"/> takes a <see cref="FusedEpilogue"/>.</summary>
    bool FusesEpilogue => false;

    /// <summary>C# source of a class named <paramref name="className"/> implementing
    /// <see cref="Codegen.IKernel"/>, for the given config; with <paramref name="epilogue"/> (only where
    /// <see cref="FusesEpilogue"/>), every output value passes through it on its last store.</summary>
    string EmitKernel(Workload workload, ConfigEntity config, string className, FusedEpilogue? epilogue = null);

    /// <summary>The plain, obviously correct computation: output = op(data, weight).</summary>
    void Reference(Workload workload, ReadOnlySpan<float> data, ReadOnlySpan<float> weight, Span<float> output);
}
