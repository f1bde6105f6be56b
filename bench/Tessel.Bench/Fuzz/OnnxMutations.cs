using Google.Protobuf;
using Tessel.Graph.Onnx.Proto;

namespace Tessel.Bench.Fuzz;

/// <summary>Damage that keeps an ONNX file parseable but makes its content wrong: dims huge, negative or zero,
/// weights of NaN, raw data of the wrong length, attributes with absurd values or repeated, inputs removed, an
/// unknown op or data type.</summary>
public static class OnnxMutations
{
    public static readonly string[] Kinds =
        ["huge-dim", "negative-dim", "zero-dim", "input-dim", "nan-weights", "raw-length", "attribute-value", "attribute-repeated", "drop-input", "op-type", "data-type"];

    private static readonly long[] BadDims = [0, -1, -7, int.MaxValue, (long)int.MaxValue + 1, 1L << 40, long.MaxValue];

    public static byte[] Apply(string kind, ModelProto original, Random random)
    {
        var model = original.Clone();
        var graph = model.Graph;
        var tensor = graph.Initializer.Count > 0 ? graph.Initializer[random.Next(graph.Initializer.Count)] : null;
        var node = graph.Node[random.Next(graph.Node.Count)];
        switch (kind)
        {
            case "huge-dim" when tensor is { Dims.Count: > 0 }:
                tensor.Dims[random.Next(tensor.Dims.Count)] = BadDims[random.Next(3, BadDims.Length)];
                break;
            case "negative-dim" when tensor is { Dims.Count: > 0 }:
                tensor.Dims[random.Next(tensor.Dims.Count)] = BadDims[random.Next(1, 3)];
                break;
            case "zero-dim" when tensor is { Dims.Count: > 0 }:
                tensor.Dims[random.Next(tensor.Dims.Count)] = 0;
                break;
            case "input-dim" when graph.Input.FirstOrDefault()?.Type?.TensorType?.Shape is { Dim.Count: > 0 } shape:
                shape.Dim[random.Next(shape.Dim.Count)] = new TensorShapeProto.Types.Dimension { DimValue = BadDims[random.Next(BadDims.Length)] };
                break;
            case "nan-weights" when tensor is not null:
                if (tensor.RawData.Length >= 4)
                {
                    var raw = tensor.RawData.ToByteArray();
                    for (var i = 0; i + 4 <= raw.Length; i += 4) BitConverter.TryWriteBytes(raw.AsSpan(i), float.NaN);
                    tensor.RawData = ByteString.CopyFrom(raw);
                }
                for (var i = 0; i < tensor.FloatData.Count; i++) tensor.FloatData[i] = float.NaN;
                break;
            case "raw-length" when tensor is { RawData.Length: > 0 }:
                var bytes = tensor.RawData.ToByteArray();
                tensor.RawData = ByteString.CopyFrom(random.Next(2) == 0 ? bytes[..random.Next(bytes.Length)] : [.. bytes, .. new byte[random.Next(1, 9)]]);
                break;
            case "attribute-value" when node.Attribute.Count > 0:
                var attribute = node.Attribute[random.Next(node.Attribute.Count)];
                attribute.I = BadDims[random.Next(BadDims.Length)];
                for (var i = 0; i < attribute.Ints.Count; i++) attribute.Ints[i] = BadDims[random.Next(BadDims.Length)];
                attribute.F = random.Next(2) == 0 ? float.NaN : float.PositiveInfinity;
                break;
            case "attribute-repeated" when node.Attribute.Count > 0:
                node.Attribute.Add(node.Attribute[random.Next(node.Attribute.Count)].Clone());
                break;
            case "drop-input" when node.Input.Count > 0:
                node.Input.RemoveAt(random.Next(node.Input.Count));
                break;
            case "op-type":
                node.OpType = random.Next(2) == 0 ? "NotAnOp" : "";
                break;
            case "data-type" when tensor is not null:
                tensor.DataType = random.Next(2, 17);
                break;
            default:
                // The model has nothing this mutation applies to: damage a name instead, which must still load or fail cleanly.
                node.Output.Add("dangling_" + random.Next());
                break;
        }
        return model.ToByteArray();
    }
}
