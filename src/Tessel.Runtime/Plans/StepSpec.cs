using System.Text.Json.Serialization;
using Tessel.Runtime.Steps;

namespace Tessel.Runtime.Plans;

/// <summary>One step of a planned model before buffers exist: what it runs, and the tensors it reads and writes by
/// name (<see cref="PlanSpec.Buffers"/> and the constants resolve them). The model compiler writes these; the binder
/// turns them into <see cref="IStep"/>s, in Tessel and in a deployed artifact alike, so both run the same plan.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "step")]
[JsonDerivedType(typeof(KernelStepSpec), "kernel")]
[JsonDerivedType(typeof(AddStepSpec), "add")]
[JsonDerivedType(typeof(LayoutStepSpec), "layout")]
[JsonDerivedType(typeof(BlockedPoolStepSpec), "blocked_pool")]
[JsonDerivedType(typeof(BlockedConcatStepSpec), "blocked_concat")]
[JsonDerivedType(typeof(ChannelAffineStepSpec), "channel_affine")]
[JsonDerivedType(typeof(OperatorStepSpec), "op")]
public abstract record StepSpec(StepLabel Label)
{
    /// <summary>Whether the step takes its tensors' extents from its own shapes, never from its buffers' lengths: only
    /// such a step's tensors may be given a buffer longer than they are (one reused from a larger tensor).</summary>
    public virtual bool SizedByShape() => false;
}

/// <summary>Kernel <see cref="Kernel"/> of <see cref="PlanSpec.Kernels"/>, with the epilogue it did not fuse
/// (<see cref="KernelStep"/>).</summary>
public sealed record KernelStepSpec(StepLabel Label, int Kernel, string Input, string Output, string? Bias, Activation Activation, int Batch, int Channels)
    : StepSpec(Label)
{
    /// <summary>The epilogue the step applies itself finds the output's plane from the buffer's length.</summary>
    public override bool SizedByShape() => Bias is null && Activation.IsNone;
}

/// <summary>A residual sum with its activation (<see cref="AddStep"/>).</summary>
public sealed record AddStepSpec(StepLabel Label, string A, string B, string Output, Activation Activation) : StepSpec(Label);

/// <summary>A conversion between channel blockings (<see cref="LayoutStep"/>).</summary>
public sealed record LayoutStepSpec(StepLabel Label, string Source, int FromBlock, string Destination, int ToBlock, int Batch, int Channels, int Plane)
    : StepSpec(Label)
{
    public override bool SizedByShape() => true;
}

/// <summary>A MaxPool or AveragePool read and written in channel blocks of <see cref="Block"/> (<see cref="BlockedPoolStep"/>).</summary>
public sealed record BlockedPoolStepSpec(StepLabel Label, string Input, string Output, PoolWindow Window, int Block, int Batch, int Channels) : StepSpec(Label)
{
    public override bool SizedByShape() => true;
}

/// <summary>A channel concat of tensors in channel blocks of <see cref="Block"/>, each input's channels whole blocks
/// (<see cref="BlockedConcatStep"/>).</summary>
public sealed record BlockedConcatStepSpec(StepLabel Label, string[] Inputs, string Output, int[] Channels, int Plane, int Batch, int Block) : StepSpec(Label)
{
    public override bool SizedByShape() => true;
}

/// <summary>A per-channel affine (constants <see cref="Scale"/> and <see cref="Shift"/>) with its activation, on NCHW
/// (<see cref="ChannelAffineStep"/>); with <see cref="Pool"/> k > 1, the k x k tiles of its <see cref="Plane"/> (rows
/// <see cref="Width"/> wide) averaged and only the means written.</summary>
public sealed record ChannelAffineStepSpec(StepLabel Label, string Input, string Output, string Scale, string Shift, Activation Activation, int Batch, int Channels, int Plane,
    int Pool = 1, int Width = 0)
    : StepSpec(Label)
{
    public override bool SizedByShape() => true;
}

/// <summary>A plain op: its node, its inputs' shapes, and the tensors it reads and writes ("" for an absent optional
/// one). Inputs that are constants resolve to the plan's constants by the node's own input names.</summary>
public sealed record OperatorStepSpec(StepLabel Label, NodeSpec Node, int[][] InputShapes, string[] Reads, string[] Writes) : StepSpec(Label)
{
    /// <summary>The plain ops read to go by their shapes alone (DenseNet's concats and pools, between its convs).</summary>
    public override bool SizedByShape() => Node.OpType is "Concat" or "MaxPool" or "AveragePool" or "GlobalMaxPool" or "GlobalAveragePool";
}
