using System.Text.Json.Serialization;
using Tessel.Graph;

namespace Tessel.Runtime.Plans;

/// <summary>A <see cref="Node"/> in a form JSON keeps exactly: each attribute as the one kind of value it holds.</summary>
public sealed record NodeSpec(string OpType, string Name, string[] Inputs, string[] Outputs, Dictionary<string, AttributeSpec> Attributes)
{
    public static NodeSpec Of(Node node) =>
        new(node.OpType, node.Name, [.. node.Inputs], [.. node.Outputs], node.Attributes.ToDictionary(a => a.Key, a => AttributeSpec.Of(node, a.Key, a.Value)));

    public Node ToNode() => new(OpType, Name, Inputs, Outputs, Attributes.ToDictionary(a => a.Key, a => a.Value.Value));
}

/// <summary>One attribute value: an int, ints, a float, floats or a string (the kinds <see cref="Node"/> holds).</summary>
public sealed record AttributeSpec(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Int = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[]? Ints = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float? Float = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float[]? Floats = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? String = null)
{
    public static AttributeSpec Of(Node node, string name, object value) => value switch
    {
        int i => new(Int: i),
        long l => new(Int: checked((int)l)),
        int[] ints => new(Ints: ints),
        IEnumerable<int> ints => new(Ints: [.. ints]),
        float f => new(Float: f),
        double d => new(Float: (float)d),
        float[] floats => new(Floats: floats),
        string s => new(String: s),
        _ => throw new NotSupportedException($"{node}: attribute '{name}' holds a {value.GetType().Name}, which a plan cannot store"),
    };

    [JsonIgnore]
    public object Value => (object?)Int ?? (object?)Ints ?? (object?)Float ?? (object?)Floats ?? String
        ?? throw new InvalidDataException("an attribute with no value");
}
