using System.Text.Json.Nodes;

namespace Tessel.Workloads;

/// <summary>The arguments that fix a kernel (AutoTVM's <c>args</c>), with its task name. Tensor
/// arguments are written <c>["TENSOR", [shape], "float32"]</c>. Two workloads are the same when
/// their canonical JSON is: that text is the workload's stable key.</summary>
public sealed class Workload : IEquatable<Workload>
{
    public Workload(string taskName, JsonArray args)
    {
        TaskName = taskName;
        Args = (JsonArray)args.DeepClone();
        Key = new JsonArray(taskName, args.DeepClone()).ToJsonString();
    }

    /// <summary>Template name with its target family, e.g. <c>conv2d_nchw.x86</c>.</summary>
    public string TaskName { get; }

    public JsonArray Args { get; }

    public string Key { get; }

    public static JsonArray Tensor(IReadOnlyList<int> shape, string dtype = "float32") =>
        new("TENSOR", new JsonArray(shape.Select(d => (JsonNode)d).ToArray()), dtype);

    public static JsonArray Ints(params int[] values) => new(values.Select(v => (JsonNode)v).ToArray());

    /// <summary>Shape of the tensor argument at <paramref name="position"/>.</summary>
    public int[] TensorShape(int position) =>
        Args[position] is JsonArray { Count: 3 } t && t[0]?.GetValue<string>() == "TENSOR"
            ? (t[1] as JsonArray ?? throw new FormatException($"{TaskName}: argument {position} has no shape")).Select(d => Integer(d, position)).ToArray()
            : throw new FormatException($"{TaskName}: argument {position} is not a tensor: {Args[position]?.ToJsonString()}");

    public int[] IntList(int position) =>
        Args[position] is JsonArray a ? a.Select(d => Integer(d, position)).ToArray() : throw new FormatException($"{TaskName}: argument {position} is not a list of integers");

    public int Int(int position) => Integer(Args[position], position);

    private int Integer(JsonNode? node, int position) =>
        node is JsonValue value && value.TryGetValue<int>(out var i) ? i : throw new FormatException($"{TaskName}: argument {position} holds {node?.ToJsonString() ?? "null"} where an integer goes");

    public bool Equals(Workload? other) => other is not null && Key == other.Key;
    public override bool Equals(object? obj) => Equals(obj as Workload);
    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);
    public override string ToString() => Key;
}
