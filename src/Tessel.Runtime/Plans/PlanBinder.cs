using Tessel.Graph.Operators;
using Tessel.Kernels;
using Tessel.KernelRuntime;
using Tessel.Runtime.Steps;

namespace Tessel.Runtime.Plans;

/// <summary>Turns a <see cref="PlanSpec"/> into an <see cref="ExecutionPlan"/>: allocates its buffers once (each on a
/// cache line, as the measurer's are), binds every step to them and to the constants, and hands the kernels (created
/// and prepared by the caller) to their steps.</summary>
public static class PlanBinder
{
    /// <param name="constant">a constant tensor's values by name, or null where there is none</param>
    /// <param name="kernels">the plan's kernels, prepared, in <see cref="PlanSpec.Kernels"/>' order</param>
    /// <param name="threads">the most threads a step may use</param>
    /// <param name="owner">what must stay alive while the plan runs (the kernels' load context)</param>
    public static ExecutionPlan Bind(PlanSpec plan, Func<string, float[]?> constant, IReadOnlyList<IKernel> kernels, int threads, object? owner)
    {
        if (kernels.Count != plan.Kernels.Length) throw new ArgumentException($"{plan.Model}: {kernels.Count} kernels for a plan of {plan.Kernels.Length}", nameof(kernels));
        if (plan.Inputs.Length != 1) throw new NotSupportedException($"{plan.Model}: plans with {plan.Inputs.Length} inputs are not supported (one input expected)");
        var buffers = plan.BufferLengths.Select(AlignedArrays.Allocate).ToArray();
        float[] Tensor(string name) =>
            plan.Buffers.TryGetValue(name, out var index) ? buffers[index]
                : constant(name) ?? throw new InvalidDataException($"{plan.Model}: the plan names tensor '{name}', which is neither a buffer nor a constant");
        CheckOffsets(plan);
        var steps = plan.Steps.Select(step => Bind(plan, step, Tensor, constant, kernels, threads)).ToList();
        return new ExecutionPlan(steps, plan.Steps.Select(s => s.Label).ToList(), Tensor(plan.Inputs[0].Name),
            plan.Outputs.Select(o => Tensor(o.Name)).ToArray(), owner);
    }

    /// <summary>A tensor placed inside another's buffer may only be written, by a kernel with no step epilogue or by a
    /// layout conversion, and must lie in its buffer: every other step reads and writes its buffers from the start.</summary>
    private static void CheckOffsets(PlanSpec plan)
    {
        if (plan.Offsets is not { Count: > 0 } offsets) return;
        foreach (var (name, offset) in offsets)
        {
            if (!plan.Buffers.TryGetValue(name, out var buffer) || offset < 0 || offset >= plan.BufferLengths[buffer])
                throw new InvalidDataException($"{plan.Model}: tensor '{name}' is placed at offset {offset}, outside any buffer of the plan");
            var users = plan.Steps.Where(s => Names(s).Contains(name)).ToList();
            if (users.Any(s => !WritesAtOffset(s, name)))
                throw new InvalidDataException($"{plan.Model}: tensor '{name}' is placed at offset {offset}, but only a kernel's or a layout conversion's output may be");
        }
    }

    private static bool WritesAtOffset(StepSpec step, string name) => step switch
    {
        KernelStepSpec { Bias: null, Activation.IsNone: true } k => k.Output == name && k.Input != name,
        LayoutStepSpec l => l.Destination == name && l.Source != name,
        _ => false,
    };

    private static IEnumerable<string> Names(StepSpec step) => step switch
    {
        KernelStepSpec k => [k.Input, k.Output],
        AddStepSpec a => [a.A, a.B, a.Output],
        LayoutStepSpec l => [l.Source, l.Destination],
        BlockedPoolStepSpec p => [p.Input, p.Output],
        BlockedConcatStepSpec c => [.. c.Inputs, c.Output],
        ChannelAffineStepSpec a => [a.Input, a.Output],
        OperatorStepSpec o => [.. o.Reads, .. o.Writes],
        _ => [],
    };

    private static IStep Bind(PlanSpec plan, StepSpec step, Func<string, float[]> tensor, Func<string, float[]?> constant, IReadOnlyList<IKernel> kernels, int threads) =>
        step switch
        {
            KernelStepSpec k => new KernelStep(kernels[k.Kernel], tensor(k.Input), tensor(k.Output), k.Bias is null ? null : tensor(k.Bias), k.Activation, k.Batch, k.Channels,
                plan.Offsets?.GetValueOrDefault(k.Output) ?? 0),
            AddStepSpec a => new AddStep(tensor(a.A), tensor(a.B), tensor(a.Output), a.Activation, threads),
            LayoutStepSpec l => new LayoutStep(tensor(l.Source), l.FromBlock, tensor(l.Destination), l.ToBlock, l.Batch, l.Channels, l.Plane, threads,
                plan.Offsets?.GetValueOrDefault(l.Destination) ?? 0),
            BlockedPoolStepSpec p => new BlockedPoolStep(tensor(p.Input), tensor(p.Output), p.Window, p.Block, p.Batch, p.Channels, threads),
            BlockedConcatStepSpec c => new BlockedConcatStep(c.Inputs.Select(tensor).ToArray(), tensor(c.Output), c.Channels, c.Plane, c.Batch, threads),
            ChannelAffineStepSpec a => new ChannelAffineStep(tensor(a.Input), tensor(a.Output), tensor(a.Scale), tensor(a.Shift), a.Activation, a.Batch, a.Channels, a.Plane,
                threads, a.Pool, a.Width),
            OperatorStepSpec o => Operator(plan, o, tensor, constant, threads),
            _ => throw new InvalidDataException($"{plan.Model}: a step of unknown kind {step.GetType().Name}"),
        };

    private static OperatorStep Operator(PlanSpec plan, OperatorStepSpec spec, Func<string, float[]> tensor, Func<string, float[]?> constant, int threads)
    {
        var node = spec.Node.ToNode();
        var op = OperatorRegistry.Find(node.OpType) ?? throw new NotSupportedException($"{plan.Model}: {node}: op type '{node.OpType}' is not supported by the runtime");
        var context = new OpContext(plan.Model, node, spec.InputShapes, i => constant(node.Inputs[i]), plan.Opset, threads);
        var inputs = spec.Reads.Select(i => i.Length == 0 ? [] : tensor(i)).ToArray();
        var outputs = spec.Writes.Select(o => o.Length == 0 ? [] : tensor(o)).ToArray();
        return new OperatorStep(op.Bind(context, inputs, outputs));
    }
}
