using System.Text.Json.Serialization;

namespace Tessel.Runtime;

/// <summary>A model input or output: its name, shape and element type (float32; NCHW for images).</summary>
public sealed record TensorInfo(string Name, int[] Shape, string ElementType = "float32")
{
    /// <summary>Elements a buffer of this tensor holds.</summary>
    [JsonIgnore]
    public int Length => Shape.Aggregate(1, (a, b) => checked(a * b));

    public override string ToString() => $"'{Name}' [{string.Join(", ", Shape)}] {ElementType}";
}
