using Google.Protobuf;
using Tessel.Graph.Onnx.Proto;

namespace Tessel.Graph.Onnx;

/// <summary>Reads an ONNX model file into a <see cref="ModelGraph"/>: weights from initializers and from
/// <c>Constant</c> nodes, attributes as ints / int lists / floats / strings / tensors, input shapes from the
/// file or, for symbolic dims, from the caller (<c>--shape NAME=dims</c>). What it cannot take (not a model,
/// external data, subgraphs, another op domain, a symbolic dim with no shape given, an op Tessel does not
/// have) is a <see cref="FormatException"/> that names the file and what is wrong.</summary>
public static class OnnxImport
{
    public static ModelGraph Load(string path, IReadOnlyDictionary<string, int[]>? shapes = null)
    {
        shapes ??= new Dictionary<string, int[]>();
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new FormatException($"{path}: cannot read ({e.Message})"); }
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(bytes); }
        catch (InvalidProtocolBufferException e) { throw new FormatException($"{path}: not a valid ONNX model ({e.Message})"); }
        var graph = model.Graph;
        if (graph is null || graph.Node.Count == 0) throw new FormatException($"{path}: not an ONNX model (no graph with nodes)");
        var opset = (int)(model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0);
        if (opset == 0) throw new FormatException($"{path}: the model imports no ai.onnx opset");

        var initializers = new List<Initializer>();
        foreach (var tensor in graph.Initializer) initializers.Add(Weight(path, tensor));
        var constant = initializers.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var nodes = new List<Node>();
        foreach (var node in graph.Node)
        {
            var name = string.IsNullOrEmpty(node.Name) ? $"{node.OpType}_{nodes.Count}" : node.Name;
            if (node.Domain is not ("" or "ai.onnx"))
                throw new FormatException($"{path}: node '{name}' ({node.OpType}) is in op domain '{node.Domain}'; only the default ONNX domain is supported");
            if (node.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0))
                throw new FormatException($"{path}: node '{name}' ({node.OpType}, opset {opset}) has a subgraph; If/Loop/Scan are not supported");
            if (node.OpType == "Constant")
            {
                initializers.Add(ConstantValue(path, node, name));
                constant.Add(node.Output[0]);
                continue;
            }
            if (node.Attribute.GroupBy(a => a.Name).FirstOrDefault(g => g.Count() > 1) is { } repeated)
                throw new FormatException($"{path}: node '{name}' ({node.OpType}) has attribute '{repeated.Key}' {repeated.Count()} times");
            nodes.Add(new Node(node.OpType, name, node.Input.ToArray(), node.Output.ToArray(), node.Attribute.ToDictionary(a => a.Name, a => Attribute(path, node, a))));
        }
        var inputs = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var declared = graph.Input.Where(i => !constant.Contains(i.Name)).ToList();
        foreach (var unknown in shapes.Keys.Where(k => declared.All(i => i.Name != k)))
            throw new FormatException($"{path}: --shape names '{unknown}', which is not an input (inputs: {string.Join(", ", declared.Select(i => i.Name))})");
        foreach (var input in declared) inputs[input.Name] = InputShape(path, input, shapes.GetValueOrDefault(input.Name));
        var graphName = string.IsNullOrEmpty(graph.Name) ? Path.GetFileNameWithoutExtension(path) : graph.Name;
        try { return new ModelGraph(graphName, inputs, initializers, nodes, graph.Output.Select(o => o.Name).ToArray(), opset); }
        catch (Exception e) when (e is NotSupportedException or KeyNotFoundException or IndexOutOfRangeException or InvalidCastException or ArgumentException or ArithmeticException)
        {
            throw new FormatException($"{path}: {e.Message}");
        }
    }

    /// <summary>An input's shape: the file's dims, with the caller's shape where the file's are symbolic
    /// (a given shape must agree with every fixed dim).</summary>
    private static int[] InputShape(string path, ValueInfoProto input, int[]? given)
    {
        var type = input.Type?.TensorType ?? throw new FormatException($"{path}: input '{input.Name}' is not a tensor");
        if ((TensorProto.Types.DataType)type.ElemType != TensorProto.Types.DataType.Float)
            throw new FormatException($"{path}: input '{input.Name}' is {(TensorProto.Types.DataType)type.ElemType}; only float inputs are supported");
        var dims = type.Shape?.Dim ?? throw new FormatException($"{path}: input '{input.Name}' has no shape; give one with --shape {input.Name}=...");
        var text = $"[{string.Join(",", dims.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue
            ? d.DimValue.ToString() : string.IsNullOrEmpty(d.DimParam) ? "?" : d.DimParam))}]";
        if (given is not null)
        {
            var fits = given.Length == dims.Count && given.All(d => d > 0) && dims.Select((d, i) =>
                d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || d.DimValue == given[i]).All(ok => ok);
            return fits ? given : throw new FormatException($"{path}: --shape {input.Name}={string.Join(",", given)} does not fit the input's dims {text}");
        }
        if (dims.Any(d => d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || d.DimValue < 1))
            throw new FormatException($"{path}: input '{input.Name}' has symbolic dims {text}; give a static shape with --shape {input.Name}=" +
                string.Join(",", dims.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue > 0 ? d.DimValue.ToString() : "N")));
        if (dims.FirstOrDefault(d => d.DimValue > int.MaxValue) is { } huge)
            throw new FormatException($"{path}: input '{input.Name}' has dim {huge.DimValue} in {text}, more than a tensor can hold");
        return dims.Select(d => (int)d.DimValue).ToArray();
    }

    /// <summary>A Constant node's value: a tensor, or one of the scalar / list forms of opset 12+.</summary>
    private static Initializer ConstantValue(string path, NodeProto node, string name)
    {
        var output = node.Output[0];
        var a = node.Attribute.FirstOrDefault() ?? throw new FormatException($"{path}: Constant node '{name}' has no value");
        return a.Name switch
        {
            "value" => Weight(path, a.T, output),
            "value_float" => new Initializer(output, [], () => [a.F]),
            "value_floats" => new Initializer(output, [a.Floats.Count], () => a.Floats.ToArray()),
            "value_int" => new Initializer(output, [], () => [a.I], integer: true),
            "value_ints" => new Initializer(output, [a.Ints.Count], () => a.Ints.Select(v => (float)v).ToArray(), integer: true),
            _ => throw new FormatException($"{path}: Constant node '{name}' has value form '{a.Name}', which is not supported"),
        };
    }

    private static Initializer Weight(string path, TensorProto? t, string? name = null)
    {
        if (t is null) throw new FormatException($"{path}: tensor '{name}' has no value");
        name ??= t.Name;
        if (t.DataLocation == TensorProto.Types.DataLocation.External || t.ExternalData.Count > 0)
            throw new FormatException($"{path}: tensor '{name}' keeps its data in an external file, which is not supported");
        var shape = t.Dims.Select(d => d < 0 || d > int.MaxValue ? throw new FormatException($"{path}: tensor '{name}' has dim {d}") : (int)d).ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var type = (TensorProto.Types.DataType)t.DataType;
        float[] values = type switch
        {
            TensorProto.Types.DataType.Float => t.RawData.Length > 0 ? Raw<float>(path, name, t) : t.FloatData.ToArray(),
            TensorProto.Types.DataType.Int64 => t.RawData.Length > 0 ? Raw<long>(path, name, t).Select(v => (float)v).ToArray() : t.Int64Data.Select(v => (float)v).ToArray(),
            TensorProto.Types.DataType.Int32 => t.RawData.Length > 0 ? Raw<int>(path, name, t).Select(v => (float)v).ToArray() : t.Int32Data.Select(v => (float)v).ToArray(),
            TensorProto.Types.DataType.Bool => t.RawData.Length > 0 ? t.RawData.Select(b => b != 0 ? 1f : 0f).ToArray() : t.Int32Data.Select(v => v != 0 ? 1f : 0f).ToArray(),
            TensorProto.Types.DataType.Double => t.RawData.Length > 0 ? Raw<double>(path, name, t).Select(v => (float)v).ToArray() : t.DoubleData.Select(v => (float)v).ToArray(),
            var other => throw new FormatException($"{path}: tensor '{name}' has data type {other}, which is not supported"),
        };
        if (values.Length != count)
            throw new FormatException($"{path}: tensor '{name}' has {values.Length} values for shape [{string.Join(",", shape)}] ({count} expected)");
        return new Initializer(name, shape, () => values, integer: type is not (TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Double));
    }

    private static T[] Raw<T>(string path, string name, TensorProto t) where T : unmanaged =>
        t.RawData.Length % System.Runtime.CompilerServices.Unsafe.SizeOf<T>() == 0
            ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(t.RawData.Span).ToArray()
            : throw new FormatException($"{path}: tensor '{name}' has {t.RawData.Length} raw bytes, not a whole number of {typeof(T).Name} values");

    private static object Attribute(string path, NodeProto node, AttributeProto a) => a.Type switch
    {
        AttributeProto.Types.AttributeType.Int => (int)Math.Clamp(a.I, int.MinValue, int.MaxValue),
        AttributeProto.Types.AttributeType.Ints => a.Ints.Select(v => (int)Math.Clamp(v, int.MinValue, int.MaxValue)).ToArray(),
        AttributeProto.Types.AttributeType.Float => a.F,
        AttributeProto.Types.AttributeType.Floats => a.Floats.ToArray(),
        AttributeProto.Types.AttributeType.String => a.S.ToStringUtf8(),
        AttributeProto.Types.AttributeType.Tensor => Weight(path, a.T).Values,
        _ => throw new FormatException($"{path}: node '{node.Name}' ({node.OpType}) has attribute '{a.Name}' of type {a.Type}, which is not supported"),
    };
}
