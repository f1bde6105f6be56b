using System.Text.Json.Nodes;

namespace Tessel.Spaces;

/// <summary>Annotations for a list of axes: each candidate gives one annotation per axis
/// (e.g. "unroll" or "none" for a kernel-window loop; "parallel" on one of several outer loops).</summary>
public sealed class AnnotateKnob : Knob
{
    public AnnotateKnob(string name, IReadOnlyList<string> axes, IReadOnlyList<string[]> candidates)
        : base(name, candidates.Select(c => (KnobValue)new AnnotateValue(Validate(name, axes.Count, c))).ToArray())
    {
        Axes = axes;
    }

    public IReadOnlyList<string> Axes { get; }

    public override string Kind => "an";

    public override KnobValue ParseValue(JsonNode node) =>
        node is JsonArray a ? new AnnotateValue(a.Select(x => x?.GetValue<string>() ?? throw new FormatException($"annotation '{Name}' has a null")).ToArray())
            : throw new FormatException($"annotation '{Name}' must be an array, got {node.ToJsonString()}");

    private static string[] Validate(string name, int n, string[] annotations) =>
        annotations.Length == n ? annotations : throw new ArgumentException($"annotate '{name}': {annotations.Length} annotations for {n} axes");
}
