using Tessel.Spaces;
using Tessel.Graph;
using Tessel.Workloads;

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

    /// <summary>Whether its kernels (all, or those of some configs) take and give channel-blocked tensors (<see cref="Layouts.ChannelBlocks"/>):
    /// a model's runtime then needs their epilogue fused, as its own pass works on NCHW planes.</summary>
    bool BlocksChannels => false;

    /// <summary>The channel blocks a config's kernel reads and writes (1: NCHW), known before it is compiled:
    /// the runtime plans layout conversions with it. Its kernel's <see cref="Kernels.IKernel.Layout"/> says the same.</summary>
    (int Input, int Output) Blocks(Workload workload, ConfigEntity config) => (1, 1);

    /// <summary>Whether <see cref="EmitKernel"/> takes a <see cref="FusedEpilogue"/>.</summary>
    bool FusesEpilogue => false;

    /// <summary>C# source of a class named <paramref name="className"/> implementing
    /// <see cref="Kernels.IKernel"/>, for the given config; with <paramref name="epilogue"/> (only where
    /// <see cref="FusesEpilogue"/>), every output value passes through it on its last store.</summary>
    string EmitKernel(Workload workload, ConfigEntity config, string className, FusedEpilogue? epilogue = null);

    /// <summary>A small workload whose default kernel warms the compiler up before anything is timed.</summary>
    Workload WarmUpWorkload { get; }

    /// <summary>The op strategy, as Relay's: the workload a graph node runs as on this template, or null when the
    /// node is not this template's. The registry asks its templates in order and the first answer wins.</summary>
    Workload? FromNode(ModelGraph graph, Node node) => null;

    /// <summary>The workload this template gives another template's workload it also computes (Winograd for a
    /// 3x3 direct conv), or null: each such alternative becomes a task of its own, and a model runs the faster.</summary>
    Workload? AlternativeTo(Workload primary) => null;

    /// <summary>The name <c>tune-op</c> knows this template by (<c>conv2d</c>, <c>dense</c>); null for a template
    /// reached only as another's alternative.</summary>
    string? OpName => null;

    /// <summary>The workload of <c>tune-op</c>'s operands, for a template with an <see cref="OpName"/>; an
    /// <see cref="ArgumentException"/> says which operand is wrong.</summary>
    Workload FromOperands(OpOperands operands) => throw new NotSupportedException($"{TaskName} is not tuned on its own");

    /// <summary>The same computation as a one-node ONNX model holding <paramref name="weight"/>: what ONNX Runtime
    /// times as the reference for this workload.</summary>
    byte[] OnnxModel(Workload workload, float[] weight);

    /// <summary>The plain, obviously correct computation: output = op(data, weight).</summary>
    void Reference(Workload workload, ReadOnlySpan<float> data, ReadOnlySpan<float> weight, Span<float> output);
}
