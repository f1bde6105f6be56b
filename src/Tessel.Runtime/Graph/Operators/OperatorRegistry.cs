namespace Tessel.Graph.Operators;

/// <summary>The ONNX op types Tessel imports and runs (default domain), by name.</summary>
public static class OperatorRegistry
{
    private static readonly Dictionary<string, IOperator> Operators = new(StringComparer.Ordinal)
    {
        ["Conv"] = Conv.Instance, ["ConvTranspose"] = ConvTranspose.Instance,
        ["Gemm"] = Gemm.Instance, ["MatMul"] = MatMul.Instance,
        ["BatchNormalization"] = BatchNormalization.Instance,
        ["MaxPool"] = Pool.MaxPool, ["AveragePool"] = Pool.AveragePool,
        ["GlobalMaxPool"] = Pool.GlobalMaxPool, ["GlobalAveragePool"] = Pool.GlobalAveragePool,
        ["Relu"] = Unary.Relu, ["LeakyRelu"] = Unary.LeakyRelu, ["Clip"] = Unary.Clip, ["Sigmoid"] = Unary.Sigmoid,
        ["HardSigmoid"] = Unary.HardSigmoid, ["HardSwish"] = Unary.HardSwish, ["Tanh"] = Unary.Tanh,
        ["Sqrt"] = Unary.Sqrt, ["Erf"] = Unary.Erf, ["Exp"] = Unary.Exp, ["Abs"] = Unary.Abs, ["Neg"] = Unary.Neg,
        ["Reciprocal"] = Unary.Reciprocal, ["Cast"] = Unary.Cast,
        ["Add"] = Binary.Add, ["Sub"] = Binary.Sub, ["Mul"] = Binary.Mul, ["Div"] = Binary.Div, ["Pow"] = Binary.Pow,
        ["Max"] = Binary.Max, ["Min"] = Binary.Min, ["Equal"] = Binary.Equal, ["Less"] = Binary.Less, ["Greater"] = Binary.Greater,
        ["Where"] = Where.Instance,
        ["Identity"] = View.Identity, ["Dropout"] = View.Identity, ["Reshape"] = View.Reshape, ["Flatten"] = View.Flatten,
        ["Squeeze"] = View.Squeeze, ["Unsqueeze"] = View.Unsqueeze,
        ["Transpose"] = Transpose.Instance, ["Concat"] = Concat.Instance, ["Split"] = Split.Instance, ["Slice"] = Slice.Instance,
        ["Gather"] = Gather.Instance, ["Expand"] = Expand.Instance, ["Pad"] = Pad.Instance,
        ["Resize"] = Resize.Instance, ["Upsample"] = Resize.Upsample,
        ["Softmax"] = Softmax.Instance, ["LogSoftmax"] = Softmax.Log,
        ["ReduceMean"] = Reduce.Mean, ["ReduceSum"] = Reduce.Sum, ["ReduceMax"] = Reduce.Max, ["ReduceMin"] = Reduce.Min,
        ["Shape"] = ShapeOf.Instance, ["ConstantOfShape"] = ConstantOfShape.Instance, ["Range"] = Range.Instance,
    };

    public static IReadOnlyCollection<string> OpTypes => Operators.Keys;

    public static IOperator? Find(string opType) => Operators.GetValueOrDefault(opType);
}
