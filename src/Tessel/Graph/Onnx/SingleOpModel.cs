using Google.Protobuf;
using Tessel.Graph.Onnx.Proto;

namespace Tessel.Graph.Onnx;

/// <summary>Writes one-operator ONNX models (input "data", output "output", the weight as an initializer),
/// so that a single kernel can be run in ONNX Runtime side by side with Tessel's.</summary>
public static class SingleOpModel
{
    private const int Opset = 17;
    private const int IrVersion = 8;

    /// <summary>A Conv; <paramref name="pads"/> is top, left, bottom, right — ONNX's order
    /// [x1_begin, x2_begin, x1_end, x2_end] for the H and W axes.</summary>
    public static byte[] Conv(int[] data, int[] weightShape, float[] weight, int[] strides, int[] pads, int[] dilations, int group)
    {
        var output = new[]
        {
            data[0], weightShape[0],
            Window.Output(data[2], weightShape[2], strides[0], pads[0] + pads[2], dilations[0]),
            Window.Output(data[3], weightShape[3], strides[1], pads[1] + pads[3], dilations[1]),
        };
        var node = new NodeProto { OpType = "Conv", Name = "conv", Input = { "data", "weight" }, Output = { "output" } };
        node.Attribute.Add(Ints("kernel_shape", weightShape[2], weightShape[3]));
        node.Attribute.Add(Ints("strides", strides));
        node.Attribute.Add(Ints("pads", pads));
        node.Attribute.Add(Ints("dilations", dilations));
        node.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = group });
        return Model(node, data, output, Tensor("weight", weightShape, weight));
    }

    /// <summary>A ConvTranspose, the weight in ONNX's layout <c>[C, OC / group, KH, KW]</c>, one group.</summary>
    public static byte[] ConvTranspose(int[] data, int[] weightShape, float[] weight, int[] strides, int[] pads, int[] outputPadding, int[] dilations, int[] output)
    {
        var node = new NodeProto { OpType = "ConvTranspose", Name = "conv_transpose", Input = { "data", "weight" }, Output = { "output" } };
        node.Attribute.Add(Ints("kernel_shape", weightShape[2], weightShape[3]));
        node.Attribute.Add(Ints("strides", strides));
        node.Attribute.Add(Ints("pads", pads));
        node.Attribute.Add(Ints("output_padding", outputPadding));
        node.Attribute.Add(Ints("dilations", dilations));
        return Model(node, data, output, Tensor("weight", weightShape, weight));
    }

    /// <summary>A dense layer as Gemm with transB = 1: output[N, M] = data[N, K] x weight[M, K]^T.</summary>
    public static byte[] Dense(int[] data, int[] weightShape, float[] weight)
    {
        var node = new NodeProto { OpType = "Gemm", Name = "dense", Input = { "data", "weight" }, Output = { "output" } };
        node.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        return Model(node, data, [data[0], weightShape[0]], Tensor("weight", weightShape, weight));
    }

    private static byte[] Model(NodeProto node, int[] input, int[] output, TensorProto weight)
    {
        var graph = new GraphProto { Name = node.Name, Node = { node }, Initializer = { weight } };
        graph.Input.Add(Value("data", input));
        graph.Output.Add(Value("output", output));
        var model = new ModelProto { IrVersion = IrVersion, ProducerName = "tessel", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model.ToByteArray();
    }

    public static TensorProto Tensor(string name, int[] shape, float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(shape.Select(d => (long)d));
        return tensor;
    }

    /// <summary>An int64 tensor (shape and index inputs: Reshape targets, Slice starts).</summary>
    public static TensorProto Int64Tensor(string name, int[] shape, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Int64Data.AddRange(values.Select(v => (long)v));
        tensor.Dims.AddRange(shape.Select(d => (long)d));
        return tensor;
    }

    public static ValueInfoProto Value(string name, int[] shape)
    {
        var tensorShape = new TensorShapeProto();
        tensorShape.Dim.AddRange(shape.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape } },
        };
    }

    private static AttributeProto Ints(string name, params int[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values.Select(v => (long)v));
        return attribute;
    }
}
