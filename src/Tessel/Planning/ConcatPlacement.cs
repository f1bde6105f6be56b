using Tessel.Graph.Operators;
using Tessel.Runtime.Plans;

namespace Tessel.Planning;

/// <summary>A step as planned: its spec and the activations it reads and writes (constants left out).</summary>
internal sealed record PlannedStep(StepSpec Spec, string[] Reads, string[] Writes);

/// <summary>Removes concats whose parts can be written where the concat would copy them: each part becomes a slice of
/// the concat's buffer (<see cref="BufferPlanner.Alias"/> at its offset) and the copy step goes. Possible where every
/// part is contiguous in the output (one image, or nothing outside the concat's axis) and:
/// <list type="bullet">
/// <item>the first part, at offset 0, is read and written only by steps that go by their shapes (its buffer is now the
/// whole concat's), DenseNet's block input and each growing concat, which so become one buffer per dense block;</item>
/// <item>every later part is read by the concat alone and written by a kernel with no step epilogue or by a layout
/// conversion, which write it at its offset (<see cref="Runtime.Steps.KernelStep"/>, <see cref="Runtime.Steps.LayoutStep"/>),
/// the only steps that know offsets (a SqueezeNet fire module's 3 x 3 expand, NCHW, converted into the blocked concat).</item>
/// </list>
/// DenseNet-121 copied 1.6 ms of its 50 at 1 thread in 58 concats (Zen 4), each 1.5x ONNX Runtime's node in its largest
/// blocks; a SqueezeNet fire module's expands write their halves of the concat directly.</summary>
internal static class ConcatPlacement
{
    /// <summary>The steps that remain, with the placed concats' parts aliased in <paramref name="planner"/>;
    /// <paramref name="elements"/> gives a tensor's elements in the layout it is held in, <paramref name="pinned"/> the
    /// tensors that keep buffers of their own (the model's input and outputs).</summary>
    public static List<PlannedStep> Place(IReadOnlyList<PlannedStep> planned, BufferPlanner planner, Func<string, int> elements, IReadOnlySet<string> pinned)
    {
        var steps = planned.ToList();
        for (var i = 0; i < steps.Count; i++)
        {
            if (Parts(steps[i]) is not { } parts) continue;
            var output = steps[i].Writes[0];
            var others = steps.Where((_, j) => j != i).ToList();
            if (!parts.All(p => Placeable(p, p == parts[0], others, planner, pinned))) continue;
            var offset = 0;
            foreach (var part in parts)
            {
                planner.Alias(part, output, offset);
                offset += elements(part);
            }
            steps.RemoveAt(i--);
        }
        return steps;
    }

    /// <summary>A concat's parts in order where each is contiguous in its output and appears once; null otherwise.</summary>
    private static string[]? Parts(PlannedStep step)
    {
        var parts = step.Spec switch
        {
            BlockedConcatStepSpec c when c.Batch == 1 => c.Inputs,
            OperatorStepSpec o when o.Node.OpType == "Concat" && o.Reads.Length == step.Reads.Length && Outer(o) == 1 => o.Reads,
            _ => null,
        };
        return parts is { Length: > 1 } && step.Writes.Length == 1 && parts.Distinct(StringComparer.Ordinal).Count() == parts.Length ? parts : null;
    }

    /// <summary>The elements before a plain concat's axis: 1 where each part is one contiguous run of the output.</summary>
    private static long Outer(OperatorStepSpec concat)
    {
        var shape = concat.InputShapes[0];
        var axis = concat.Node.Attributes.TryGetValue("axis", out var a) && a.Int is { } value ? value : 0;
        return shape.Take(Shapes.Axis(axis, shape.Length)).Aggregate(1L, (n, d) => n * d);
    }

    private static bool Placeable(string part, bool first, List<PlannedStep> others, BufferPlanner planner, IReadOnlySet<string> pinned)
    {
        if (pinned.Contains(part) || planner.Root(part) != part) return false;
        var sharing = planner.Sharing(part).ToHashSet(StringComparer.Ordinal);
        var touching = others.Where(s => s.Reads.Concat(s.Writes).Any(sharing.Contains)).ToList();
        // The first part may be a concat placed before (written through its own parts: DenseNet's growing chain).
        if (first) return touching.All(s => s.Spec.SizedByShape());
        var writers = others.Where(s => s.Writes.Contains(part)).ToList();
        return sharing.Count == 1 && touching.Count == 1 && writers.Count == 1
            && writers[0].Spec is KernelStepSpec { Bias: null, Activation.IsNone: true } or LayoutStepSpec;
    }
}
