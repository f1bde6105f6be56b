namespace Tessel.Graph;

/// <summary>One operator of a model: its ONNX op type, the tensors it reads and writes, and its attributes
/// (ints, int lists, floats and strings, named as ONNX names them).</summary>
public sealed record Node(string OpType, string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, object> Attributes)
{
    public int Int(string name, int fallback) => Attributes.TryGetValue(name, out var v) ? Convert.ToInt32(v) : fallback;

    public int[] Ints(string name, int[] fallback) => Attributes.TryGetValue(name, out var v) ? ((IEnumerable<int>)v).ToArray() : fallback;

    public float Float(string name, float fallback) => Attributes.TryGetValue(name, out var v) ? Convert.ToSingle(v) : fallback;

    public override string ToString() => $"{OpType} '{Name}'";
}
