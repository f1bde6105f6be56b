using Google.Protobuf;
using Tessel.Graph.Onnx.Proto;

namespace Tessel.Graph.Onnx;

/// <summary>Writes a <see cref="ModelGraph"/> as an ONNX model (at the graph's opset, 17 for the zoo) that ONNX Runtime loads, so any
/// zoo model can be compared with ORT on the same weights.</summary>
public static class OnnxExport
{
    public static byte[] ToBytes(ModelGraph graph) => ToModel(graph).ToByteArray();

    public static ModelProto ToModel(ModelGraph graph)
    {
        var g = new GraphProto { Name = graph.Name };
        foreach (var (name, shape) in graph.Inputs) g.Input.Add(SingleOpModel.Value(name, shape));
        foreach (var output in graph.Outputs) g.Output.Add(SingleOpModel.Value(output, graph.Shape(output)));
        foreach (var init in graph.SourceInitializers) g.Initializer.Add(init.Integer ? SingleOpModel.Int64Tensor(init.Name, init.Shape, init.Values) : SingleOpModel.Tensor(init.Name,
            init.Shape, init.Values));
        foreach (var node in graph.SourceNodes)
        {
            var n = new NodeProto { OpType = node.OpType, Name = node.Name };
            n.Input.AddRange(node.Inputs);
            n.Output.AddRange(node.Outputs);
            foreach (var (key, value) in node.Attributes) n.Attribute.Add(Attribute(key, value));
            g.Node.Add(n);
        }
        var model = new ModelProto { IrVersion = 8, ProducerName = "tessel", Graph = g };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = graph.Opset });
        return model;
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case IEnumerable<int> ints: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ints.Select(v => (long)v)); break;
            case IEnumerable<float> floats: a.Type = AttributeProto.Types.AttributeType.Floats; a.Floats.AddRange(floats); break;
            default: throw new NotSupportedException($"attribute '{name}' has a value of type {value.GetType().Name}");
        }
        return a;
    }
}
