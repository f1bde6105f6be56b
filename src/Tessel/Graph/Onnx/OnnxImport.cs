using Google.Protobuf;
using Tessel.Graph.Onnx.Proto;

namespace Tessel.Graph.Onnx;

/// <summary>Reads an ONNX model file into a <see cref="ModelGraph"/>: weights from initializers and from
/// <c>Constant</c> nodes, attributes as ints / int lists / floats / strings, static input shapes. What it
/// cannot take (not a model, external data, subgraphs, symbolic dims, non-float weights it cannot read)
/// is a <see cref="FormatException"/> that names the file and what is wrong.</summary>
public static class OnnxImport
{
    public static ModelGraph Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new FormatException($"{path}: cannot read ({e.Message})"); }
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(bytes); }
        catch (InvalidProtocolBufferException e) { throw new FormatException($"{path}: not a valid ONNX model ({e.Message})"); }
        var graph = model.Graph;
        if (graph is null || graph.Node.Count == 0) throw new FormatException($"{path}: not an ONNX model (no graph with nodes)");

        var initializers = new List<Initializer>();
        foreach (var tensor in graph.Initializer) initializers.Add(Weight(path, tensor));
        var constant = initializers.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var nodes = new List<Node>();
        foreach (var node in graph.Node)
        {
            if (node.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0))
                throw new FormatException($"{path}: node '{node.Name}' ({node.OpType}) has a subgraph; If/Loop/Scan are not supported");
            if (node.OpType == "Constant")
            {
                var value = node.Attribute.FirstOrDefault(a => a.Name == "value")?.T
                    ?? throw new FormatException($"{path}: Constant node '{node.Name}' has no tensor 'value'");
                value.Name = node.Output[0];
                initializers.Add(Weight(path, value));
                constant.Add(node.Output[0]);
                continue;
            }
            nodes.Add(new Node(node.OpType, string.IsNullOrEmpty(node.Name) ? $"{node.OpType}_{nodes.Count}" : node.Name,
                node.Input.ToArray(), node.Output.ToArray(), node.Attribute.ToDictionary(a => a.Name, a => Attribute(path, node, a))));
        }
        var inputs = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var input in graph.Input.Where(i => !constant.Contains(i.Name)))
        {
            var dims = input.Type?.TensorType?.Shape?.Dim ?? throw new FormatException($"{path}: input '{input.Name}' has no tensor shape");
            if (dims.Any(d => d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || d.DimValue < 1))
                throw new FormatException($"{path}: input '{input.Name}' has symbolic or unknown dims [{string.Join(",", dims.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue.ToString() : d.DimParam))}]; give it a static shape");
            inputs[input.Name] = dims.Select(d => checked((int)d.DimValue)).ToArray();
        }
        var name = string.IsNullOrEmpty(graph.Name) ? Path.GetFileNameWithoutExtension(path) : graph.Name;
        try { return new ModelGraph(name, inputs, initializers, nodes, graph.Output.Select(o => o.Name).ToArray()); }
        catch (Exception e) when (e is NotSupportedException or KeyNotFoundException or IndexOutOfRangeException or InvalidCastException)
        {
            throw new FormatException($"{path}: {e.Message}");
        }
    }

    private static Initializer Weight(string path, TensorProto t)
    {
        if (t.DataLocation == TensorProto.Types.DataLocation.External || t.ExternalData.Count > 0)
            throw new FormatException($"{path}: tensor '{t.Name}' keeps its data in an external file, which is not supported");
        var shape = t.Dims.Select(d => checked((int)d)).ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        float[] values = (TensorProto.Types.DataType)t.DataType switch
        {
            TensorProto.Types.DataType.Float => t.RawData.Length > 0 ? Raw<float>(t) : t.FloatData.ToArray(),
            TensorProto.Types.DataType.Int64 => t.RawData.Length > 0 ? Raw<long>(t).Select(v => (float)v).ToArray() : t.Int64Data.Select(v => (float)v).ToArray(),
            TensorProto.Types.DataType.Int32 => t.RawData.Length > 0 ? Raw<int>(t).Select(v => (float)v).ToArray() : t.Int32Data.Select(v => (float)v).ToArray(),
            var other => throw new FormatException($"{path}: tensor '{t.Name}' has data type {other}, which is not supported"),
        };
        if (values.Length != count)
            throw new FormatException($"{path}: tensor '{t.Name}' has {values.Length} values for shape [{string.Join(",", shape)}] ({count} expected)");
        return new Initializer(t.Name, shape, () => values);
    }

    private static T[] Raw<T>(TensorProto t) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(t.RawData.Span).ToArray();

    private static object Attribute(string path, NodeProto node, AttributeProto a) => a.Type switch
    {
        AttributeProto.Types.AttributeType.Int => checked((int)a.I),
        AttributeProto.Types.AttributeType.Ints => a.Ints.Select(v => (int)Math.Clamp(v, int.MinValue, int.MaxValue)).ToArray(),
        AttributeProto.Types.AttributeType.Float => a.F,
        AttributeProto.Types.AttributeType.Floats => a.Floats.ToArray(),
        AttributeProto.Types.AttributeType.String => a.S.ToStringUtf8(),
        AttributeProto.Types.AttributeType.Tensor => Weight(path, a.T).Values,
        _ => throw new FormatException($"{path}: node '{node.Name}' ({node.OpType}) has attribute '{a.Name}' of type {a.Type}, which is not supported"),
    };
}
