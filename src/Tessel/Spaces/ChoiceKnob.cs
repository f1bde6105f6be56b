using System.Text.Json.Nodes;

namespace Tessel.Spaces;

/// <summary>A free choice among listed options (AutoTVM's <c>define_knob</c>, record tag "ot").</summary>
public sealed class ChoiceKnob : Knob
{
    public ChoiceKnob(string name, IReadOnlyList<ChoiceValue> options) : base(name, options.Cast<KnobValue>().ToArray()) { }

    public ChoiceKnob(string name, params string[] options) : this(name, options.Select(o => new ChoiceValue(o)).ToArray()) { }

    public ChoiceKnob(string name, params long[] options) : this(name, options.Select(o => new ChoiceValue(o)).ToArray()) { }

    public override string Kind => "ot";

    public override KnobValue ParseValue(JsonNode node) => ChoiceValue.FromJson(node);
}
