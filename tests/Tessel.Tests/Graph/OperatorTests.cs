using Tessel.Graph;
using Tessel.Graph.Onnx;
using Tessel.OnnxRuntime;
using Tessel.Runtime;
using Tessel.Planning;

namespace Tessel.Tests.Graph;

/// <summary>Every op the runtime has, in the forms of old and new opsets, run by Tessel and by ONNX Runtime on
/// the same small graph: one data input "x", constant inputs, the last node's outputs compared.</summary>
public sealed class OperatorTests
{
    public sealed record Case(string Name, int Opset, int[] Input, Node[] Nodes, Initializer[] Constants, float Low = -1, float High = 1, int Threads = 1)
    {
        public override string ToString() => Name;
    }

    private static Node N(string op, string[] inputs, string output = "y", Dictionary<string, object>? attributes = null, string[]? outputs = null) =>
        new(op, $"{op}_{output}", inputs, outputs ?? [output], attributes ?? []);

    private static Dictionary<string, object> A(params (string Key, object Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private static Initializer F(string name, int[] shape, params float[] values) => new(name, shape, () => values);

    private static Initializer I(string name, params long[] values) => new(name, [values.Length], () => values.Select(v => (float)v).ToArray(), integer: true);

    private static Initializer Random(string name, params int[] shape) => Initializer.Random(name, shape, name.Length * 31 + shape.Sum(), 0.5f);

    private static Case C(string name, int opset, int[] input, Node node, params Initializer[] constants) => new(name, opset, input, [node], constants);

    public static TheoryData<Case> Cases() => new(
        // Element-wise, with broadcasting
        C("Add per channel", 17, [2, 3, 4, 5], N("Add", ["x", "b"]), Random("b", 3, 1, 1)),
        C("Sub trailing", 17, [2, 3, 4, 5], N("Sub", ["b", "x"]), Random("b", 5)),
        C("Mul scalar", 17, [2, 3, 4], N("Mul", ["x", "s"]), F("s", [], 0.25f)),
        C("Div middle", 17, [2, 3, 4, 5], N("Div", ["x", "d"]), F("d", [1, 3, 4, 1], Enumerable.Range(1, 12).Select(v => v * 0.5f).ToArray())),
        C("Pow 2", 9, [3, 7], N("Pow", ["x", "p"]), F("p", [], 2f)),
        C("Pow 3", 13, [3, 7], N("Pow", ["x", "p"]), F("p", [1], 3f)),
        C("Relu", 13, [2, 3, 5, 5], N("Relu", ["x"])),
        C("LeakyRelu", 13, [2, 8], N("LeakyRelu", ["x"], attributes: A(("alpha", 0.1f)))),
        C("Sigmoid", 13, [2, 300], N("Sigmoid", ["x"]), []) with { Low = -9, High = 9 },
        C("HardSigmoid", 9, [2, 30], N("HardSigmoid", ["x"], attributes: A(("alpha", 0.2f), ("beta", 0.5f)))) with { Low = -4, High = 4 },
        C("HardSwish", 14, [2, 30], N("HardSwish", ["x"])) with { Low = -5, High = 5 },
        C("Erf", 13, [4, 50], N("Erf", ["x"])) with { Low = -3, High = 3 },
        C("Sqrt", 13, [4, 50], N("Sqrt", ["x"])) with { Low = 0, High = 4 },
        C("Clip attributes (opset 9)", 9, [3, 20], N("Clip", ["x"], attributes: A(("min", -0.5f), ("max", 0.25f)))),
        C("Clip inputs (opset 13)", 13, [3, 20], N("Clip", ["x", "lo", "hi"]), F("lo", [], -0.5f), F("hi", [], 0.25f)),
        C("Clip max only", 13, [3, 20], N("Clip", ["x", "", "hi"]), F("hi", [], 0.25f)),
        C("Cast to float", 13, [3, 4], N("Cast", ["x"], attributes: A(("to", 1)))),
        // Large enough to be shared among threads: shares cut across broadcast runs.
        C("Add per channel, 2 threads", 17, [1, 37, 41, 50], N("Add", ["x", "b"]), Random("b", 37, 1, 1)) with { Threads = 2 },
        C("Div middle, 2 threads", 17, [3, 5, 90, 61], N("Div", ["x", "d"]), F("d", [1, 5, 90, 1], Enumerable.Range(1, 450).Select(v => v * 0.01f).ToArray())) with { Threads = 2 },
        C("Clip, 2 threads", 13, [3, 30001], N("Clip", ["x", "lo", "hi"]), F("lo", [], -0.5f), F("hi", [], 0.25f)) with { Threads = 2 },
        // Data movement
        C("Transpose NCHW to NHWC", 13, [2, 3, 4, 5], N("Transpose", ["x"], attributes: A(("perm", new[] { 0, 2, 3, 1 })))),
        // 8 x 8 tiles with edges in both directions (19 channels, 21 x 3 pixels), and back; runs of 16 copied whole; dims of 1
        // dropped; the default perm (reversed).
        C("Transpose NCHW to NHWC in tiles and edges", 13, [2, 19, 3, 21], N("Transpose", ["x"], attributes: A(("perm", new[] { 0, 2, 3, 1 })))),
        C("Transpose NHWC to NCHW in tiles and edges", 13, [1, 9, 10, 17], N("Transpose", ["x"], attributes: A(("perm", new[] { 0, 3, 1, 2 })))),
        C("Transpose of RGB pixels to planes (NHWC to NCHW, 3 channels)", 13, [2, 5, 7, 3], N("Transpose", ["x"], attributes: A(("perm", new[] { 0, 3, 1, 2 })))),
        C("Transpose of heads (runs copied)", 13, [1, 12, 8, 16], N("Transpose", ["x"], attributes: A(("perm", new[] { 0, 2, 1, 3 })))),
        C("Transpose around dims of 1", 13, [3, 1, 16, 1, 9], N("Transpose", ["x"], attributes: A(("perm", new[] { 3, 4, 1, 0, 2 })))),
        C("Transpose reversed by default", 13, [5, 16, 24], N("Transpose", ["x"])),
        C("Reshape with 0 and -1", 13, [2, 3, 4, 5], N("Reshape", ["x", "s"]), I("s", 0, -1, 10)),
        C("Flatten axis 2", 13, [2, 3, 4, 5], N("Flatten", ["x"], attributes: A(("axis", 2)))),
        C("Squeeze attribute (opset 11)", 11, [2, 1, 4, 1], N("Squeeze", ["x"], attributes: A(("axes", new[] { 1, -1 })))),
        C("Squeeze input (opset 13)", 13, [2, 1, 4, 1], N("Squeeze", ["x", "a"]), I("a", 1)),
        C("Unsqueeze input (opset 13)", 13, [2, 4], N("Unsqueeze", ["x", "a"]), I("a", 0, 3)),
        C("Concat axis 2 with a constant", 13, [2, 3, 4, 5], N("Concat", ["x", "c", "x"], attributes: A(("axis", 2))), Random("c", 2, 3, 2, 5)),
        // Large enough to be cut between two threads, the cut falling inside copies.
        new("Concat axis 2 at 2 threads", 13, [2, 16, 48, 48], [N("Concat", ["x", "c", "x"], attributes: A(("axis", 2)))], [Random("c", 2, 16, 5, 48)], Threads: 2),
        new("Concat channels at 2 threads", 13, [1, 24, 48, 48], [N("Concat", ["x", "x"], attributes: A(("axis", 1)))], [], Threads: 2),
        C("Slice attributes (opset 9)", 9, [4, 10, 6], N("Slice", ["x"], attributes: A(("starts", new[] { 1, -4 }), ("ends", new[] { 1000, -1 }), ("axes", new[] { 0, 2 })))),
        C("Slice inputs with steps (opset 13)", 13, [4, 10, 6], N("Slice", ["x", "s", "e", "a", "t"]), I("s", 8, 0), I("e", 1, 6), I("a", 1, 2), I("t", -2, 3)),
        C("Gather rows", 13, [5, 6], N("Gather", ["x", "i"], attributes: A(("axis", 1))), I("i", 4, 0, -1)),
        C("Expand", 13, [3, 1], N("Expand", ["x", "s"]), I("s", 2, 3, 4)),
        C("Pad constant (opset 11)", 11, [1, 2, 3, 4], N("Pad", ["x", "p", "v"]), I("p", 0, 0, 1, 2, 0, 0, 2, 1), F("v", [], 0.5f)),
        C("Pad reflect", 13, [1, 2, 4, 5], N("Pad", ["x", "p"], attributes: A(("mode", "reflect"))), I("p", 0, 0, 2, 3, 0, 0, 1, 2)),
        C("Pad edge (attribute, opset 2)", 9, [1, 2, 4, 5], N("Pad", ["x"], attributes: A(("mode", "edge"), ("pads", new[] { 0, 0, 2, 1, 0, 0, 1, 3 })))),
        // Resampling
        C("Resize nearest x2 (opset 13)", 13, [1, 2, 3, 5], N("Resize", ["x", "", "s"]), F("s", [4], 1, 1, 2, 2)),
        C("Resize nearest asymmetric floor", 13, [1, 2, 3, 5], N("Resize", ["x", "", "s"], attributes: A(("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "floor"))), F("s",
            [4], 1, 1, 2, 3)),
        C("Resize linear half_pixel to sizes", 13, [1, 2, 5, 7], N("Resize", ["x", "", "", "z"], attributes: A(("mode", "linear"))), I("z", 1, 2, 9, 4)),
        C("Resize linear align_corners", 13, [1, 2, 5, 7], N("Resize", ["x", "", "s"], attributes: A(("mode", "linear"), ("coordinate_transformation_mode", "align_corners"))), F("s", [4], 1, 1,
            1.5f, 2)),
        new("Resize nearest x2 wide, 2 threads", 13, [1, 64, 20, 26], [N("Resize", ["x", "", "s"])], [F("s", [4], 1, 1, 2, 2)], Threads: 2),
        new("Resize nearest x3 by 2 (columns gathered)", 13, [1, 3, 6, 10], [N("Resize", ["x", "", "s"])], [F("s", [4], 1, 1, 3, 2.5f)]),
        C("Resize opset 10", 10, [1, 2, 3, 4], N("Resize", ["x", "s"]), F("s", [4], 1, 1, 2, 2)),
        C("Upsample (opset 9)", 9, [1, 2, 3, 4], N("Upsample", ["x", "s"]), F("s", [4], 1, 1, 2, 2)),
        // Windows
        C("MaxPool ceil mode", 13, [1, 3, 9, 9], N("MaxPool", ["x"], attributes: A(("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }), ("ceil_mode", 1)))),
        C("MaxPool SAME_UPPER", 13, [1, 3, 8, 7], N("MaxPool", ["x"], attributes: A(("kernel_shape", new[] { 3, 2 }), ("strides", new[] { 2, 2 }), ("auto_pad", "SAME_UPPER")))),
        C("AveragePool counting pads", 13, [1, 3, 7, 7], N("AveragePool", ["x"], attributes: A(("kernel_shape", new[] { 3, 3 }), ("pads", new[] { 1, 1, 1, 1 }), ("count_include_pad", 1)))),
        C("AveragePool anisotropic", 9, [1, 4, 9, 8], N("AveragePool", ["x"], attributes: A(("kernel_shape", new[] { 3, 2 }), ("strides", new[] { 3, 2 })))),
        // Planes wide enough for the column pass's vector code (stride 1 and 2), at 2 threads, with edges the padding cuts.
        new("MaxPool 3x3 stride 2 pad 1, vector columns", 13, [1, 24, 57, 61],
            [N("MaxPool", ["x"], attributes: A(("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }), ("pads", new[] { 1, 1, 1, 1 })))], [], Threads: 2),
        new("AveragePool 2x2 stride 2, vector columns", 13, [1, 32, 56, 56],
            [N("AveragePool", ["x"], attributes: A(("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 })))], [], Threads: 2),
        new("AveragePool 3x3 stride 1 pad 1 counting pads, vector columns", 13, [1, 8, 40, 43],
            [N("AveragePool", ["x"], attributes: A(("kernel_shape", new[] { 3, 3 }), ("pads", new[] { 1, 1, 1, 1 }), ("count_include_pad", 1)))], [], Threads: 2),
        new("MaxPool 2x3 stride 2x1 ceil mode, vector columns", 13, [1, 4, 33, 50],
            [N("MaxPool", ["x"], attributes: A(("kernel_shape", new[] { 2, 3 }), ("strides", new[] { 2, 1 }), ("ceil_mode", 1)))], []),
        new("MaxPool 3x3 stride 3 pad 1, column by column", 13, [1, 5, 20, 29],
            [N("MaxPool", ["x"], attributes: A(("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 3, 3 }), ("pads", new[] { 1, 1, 1, 1 })))], []),
        new("AveragePool 3x3 stride 2 pad 1 ceil mode, overlapping last block", 13, [1, 16, 27, 35],
            [N("AveragePool", ["x"], attributes: A(("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }), ("pads", new[] { 1, 1, 1, 1 }), ("ceil_mode", 1)))], []),
        new("AveragePool 2x2 stride 2, column pairs from the input rows", 13, [1, 16, 28, 28],
            [N("AveragePool", ["x"], attributes: A(("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 })))], [], Threads: 2),
        new("MaxPool 2x2 stride 2 ceil mode, column pairs with a block past the row", 13, [1, 8, 27, 29],
            [N("MaxPool", ["x"], attributes: A(("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }), ("ceil_mode", 1)))], []),
        new("MaxPool 2x2 stride 2 on wide planes, window rows read in turn", 13, [1, 3, 10, 226],
            [N("MaxPool", ["x"], attributes: A(("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 })))], [], Threads: 2),
        new("AveragePool 3x3 stride 2 pad 1 on wide planes, window rows read in turn with a tail", 13, [1, 2, 9, 203],
            [N("AveragePool", ["x"], attributes: A(("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }), ("pads", new[] { 1, 1, 1, 1 })))], []),
        new("AveragePool 2x2 stride 2 pad 1 counting pads, column pairs with padded edges", 13, [1, 4, 21, 23],
            [N("AveragePool", ["x"], attributes: A(("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }), ("pads", new[] { 1, 1, 1, 1 }), ("count_include_pad", 1)))], []),
        new("AveragePool 2x2 stride 2 over small planes as one run of row pairs, chunks overlapping at the end", 13, [1, 45, 14, 14],
            [N("AveragePool", ["x"], attributes: A(("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 })))], [], Threads: 2),
        new("MaxPool 2x2 stride 2 over small planes of two images", 13, [2, 3, 4, 10],
            [N("MaxPool", ["x"], attributes: A(("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 })))], []),
        new("MaxPool 2x2 stride 2 pad 0 1, 16 outputs a row from the separable pass", 13, [1, 3, 19, 67],
            [N("MaxPool", ["x"], attributes: A(("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }), ("pads", new[] { 0, 1, 1, 1 })))], []),
        C("GlobalMaxPool", 13, [2, 3, 5, 6], N("GlobalMaxPool", ["x"])),
        C("GlobalAveragePool over 7 x 7 planes", 13, [1, 40, 7, 7], N("GlobalAveragePool", ["x"])),
        C("GlobalMaxPool over planes under two vectors", 13, [1, 5, 3, 3], N("GlobalMaxPool", ["x"])),
        C("AveragePool of the whole plane", 13, [1, 24, 7, 9], N("AveragePool", ["x"], attributes: A(("kernel_shape", new[] { 7, 9 })))),
        C("BatchNormalization alone", 13, [2, 3, 4, 4], N("BatchNormalization", ["x", "g", "b", "m", "v"]), Random("g", 3), Random("b", 3), Random("m", 3), F("v", [3], 0.5f, 1, 2)),
        // Planes longer than a piece, channels shared between two threads.
        C("BatchNormalization, 2 threads", 13, [1, 5, 130, 131], N("BatchNormalization", ["x", "g", "b", "m", "v"]),
            Random("g", 5), Random("b", 5), Random("m", 5), F("v", [5], 0.5f, 1, 2, 3, 4)) with { Threads = 2 },
        C("Conv SAME_UPPER stride 2", 13, [1, 3, 9, 8], N("Conv", ["x", "w", "b"], attributes: A(("auto_pad", "SAME_UPPER"), ("strides", new[] { 2, 2 }))), Random("w", 4, 3, 3, 3), Random("b", 4)),
        C("Conv dilated and grouped", 13, [1, 4, 9, 9], N("Conv", ["x", "w"], attributes: A(("dilations", new[] { 2, 2 }), ("group", 2), ("pads", new[] { 1, 2, 2, 1 }))), Random("w", 6, 2, 3, 3)),
        C("ConvTranspose stride 2", 13, [1, 3, 4, 5], N("ConvTranspose", ["x", "w", "b"], attributes: A(("strides", new[] { 2, 2 }), ("pads", new[] { 1, 1, 1, 1 }), ("output_padding", new[] { 1,
            1 }))), Random("w", 3, 2, 3, 3), Random("b", 2)),
        C("ConvTranspose grouped", 13, [1, 4, 3, 3], N("ConvTranspose", ["x", "w"], attributes: A(("group", 2), ("strides", new[] { 2, 1 }))), Random("w", 4, 3, 2, 2)),
        // Tuned by the conv2d_transpose template where the weight is constant and there is one group (its default config here).
        C("ConvTranspose output_shape", 13, [1, 5, 4, 4], N("ConvTranspose", ["x", "w"], attributes: A(("strides", new[] { 2, 2 }), ("output_shape", new[] { 8, 7 }))),
            Random("w", 5, 3, 3, 3)),
        C("ConvTranspose SAME_UPPER dilated", 13, [1, 6, 5, 4], N("ConvTranspose", ["x", "w", "b"], attributes: A(("auto_pad", "SAME_UPPER"), ("strides", new[] { 2, 3 }),
            ("dilations", new[] { 2, 1 }))), Random("w", 6, 20, 3, 2), Random("b", 20)) with { Threads = 2 },
        new("ConvTranspose 4x4 stride 2 + BatchNormalization + Relu (pose head)", 13, [1, 24, 6, 5], [
            N("ConvTranspose", ["x", "w"], "t", A(("strides", new[] { 2, 2 }), ("pads", new[] { 1, 1, 1, 1 }))),
            N("BatchNormalization", ["t", "g", "b", "m", "v"], "n"), N("Relu", ["n"]),
        ], [Random("w", 24, 33, 4, 4), Random("g", 33), Random("b", 33), Random("m", 33), F("v", [33], Enumerable.Range(1, 33).Select(i => 0.5f + i * 0.01f).ToArray())]),
        // Matrices
        C("Gemm transA with alpha and beta", 13, [5, 3], N("Gemm", ["x", "w", "c"], attributes: A(("transA", 1), ("alpha", 0.5f), ("beta", 2f))), Random("w", 5, 4), Random("c", 4)),
        C("Gemm weight not transposed (dense)", 13, [3, 6], N("Gemm", ["x", "w", "c"]), Random("w", 6, 5), Random("c", 1, 5)),
        C("MatMul 3-D by constant (dense)", 13, [2, 3, 8], N("MatMul", ["x", "w"]), Random("w", 8, 5)),
        C("Softmax flattening (opset 9)", 9, [2, 3, 4], N("Softmax", ["x"], attributes: A(("axis", 1)))) with { Low = -5, High = 5 },
        C("Softmax on an axis (opset 13)", 13, [2, 3, 4], N("Softmax", ["x"], attributes: A(("axis", 1)))) with { Low = -5, High = 5 },
        C("ReduceMean attribute", 13, [2, 3, 4], N("ReduceMean", ["x"], attributes: A(("axes", new[] { -1 })))),
        C("ReduceMean input (opset 18) no keepdims", 18, [2, 3, 4], N("ReduceMean", ["x", "a"], attributes: A(("keepdims", 0))), I("a", 0, 2)),
        C("ReduceSum all", 13, [2, 3, 4], N("ReduceSum", ["x"])),
        new("Split attribute (opset 11)", 11, [2, 6, 3], [N("Split", ["x"], attributes: A(("axis", 1), ("split", new[] { 2, 4 })), outputs: ["y0", "y"])], []),
        new("Split input (opset 13)", 13, [2, 6, 3], [N("Split", ["x", "s"], attributes: A(("axis", 1)), outputs: ["y", "y1"])], [I("s", 5, 1)]),
        new("MatMul of activations (attention)", 13, [2, 3, 4], [N("Transpose", ["x"], "t", A(("perm", new[] { 0, 2, 1 }))), N("MatMul", ["x", "t"])], []),
        // Wide enough for the 32- and 8-column panels and a scalar tail, at 2 threads (PP-OCRv4's attention: 8 heads of 40 x 16).
        new("MatMul of activations, panels and tail, 2 threads", 13, [8, 43, 16], [N("Transpose", ["x"], "t", A(("perm", new[] { 0, 2, 1 }))), N("MatMul", ["x", "t"])], [],
            Threads: 2),
        // Four rows at a time and one left over, columns in overlapping 8-wide panels only (n = 13), shares cut inside a matrix.
        new("MatMul of activations, four-row blocks, 2 threads", 13, [3, 13, 21], [N("Transpose", ["x"], "t", A(("perm", new[] { 0, 2, 1 }))), N("MatMul", ["x", "t"])], [],
            Threads: 2),
        new("Softmax of wide rows, 2 threads", 13, [1, 40, 6625], [N("Softmax", ["x"])], [], Low: -5, High: 5, Threads: 2),
        // Rows wide enough for the 8-lane exponential and a scalar tail, values far enough apart that some exponentials flush to 0.
        C("LogSoftmax of wide rows", 13, [3, 203], N("LogSoftmax", ["x"])) with { Low = -60, High = 60 },
        C("Softmax of wide rows, exponentials flushed to 0", 13, [3, 203], N("Softmax", ["x"])) with { Low = -60, High = 60 },
        new("Abs then Sqrt", 13, [3, 9], [N("Abs", ["x"], "a"), N("Sqrt", ["a"])], []),
        // Shape arithmetic, folded at load: Reshape x to [N, C*H*W] from its own Shape.
        new("Shape arithmetic feeding Reshape", 13, [2, 3, 4, 5], [
            N("Shape", ["x"], "shape"), N("Gather", ["shape", "zero"], "n", A(("axis", 0))), N("Unsqueeze", ["n", "axis0"], "n1"),
            N("Cast", ["n1"], "n2", A(("to", 7))), N("Concat", ["n2", "minus1"], "target", A(("axis", 0))), N("Reshape", ["x", "target"]),
        ], [new Initializer("zero", [], () => [0f], integer: true), I("axis0", 0), I("minus1", -1)]),
        new("Range, Equal and Where", 13, [3, 5], [
            N("Range", ["start", "limit", "delta"], "r"), N("Equal", ["r", "two"], "e"), N("Where", ["e", "x", "neg"]),
        ], [F("start", [], 0), F("limit", [], 5), F("delta", [], 1), F("two", [], 2), F("neg", [], -7)]),
        new("ConstantOfShape zero block (BlazeFace)", 12, [1, 2, 3, 3], [
            N("ConstantOfShape", ["s"], "z"), N("Concat", ["x", "z"], "y", A(("axis", 1))),
        ], [I("s", 1, 3, 3, 3)]));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_onnx_runtime(Case c)
    {
        var output = c.Nodes[^1].Outputs.Contains("y") ? "y" : c.Nodes[^1].Outputs[0];
        var graph = new ModelGraph(c.Name.Replace(' ', '_'), new Dictionary<string, int[]> { ["x"] = c.Input }, c.Constants, c.Nodes, [output], c.Opset);
        var random = new System.Random(11);
        var data = Enumerable.Range(0, c.Input.Aggregate(1, (a, b) => a * b)).Select(_ => c.Low + random.NextSingle() * (c.High - c.Low)).ToArray();
        var ours = CompiledModel.Compile(graph, history: null, threads: c.Threads).Run(data)[0];
        using var ort = new OrtReference(OnnxExport.ToBytes(graph), threads: 1);
        var expected = ort.Run(data, c.Input);
        Assert.Equal(expected.Length, ours.Length);
        var scale = Math.Max(1e-6, expected.Max(v => Math.Abs(v)));
        var error = expected.Zip(ours, (e, o) => Math.Abs((double)e - o)).Max();
        Assert.True(error / scale < 1e-4, $"{c.Name}: max error {error} (scale {scale})");
    }

    [Fact]
    public void Shape_arithmetic_is_folded_away_at_load()
    {
        var c = Cases().Cast<object[]>().Select(row => (Case)row[0]).Single(x => x.Name == "Shape arithmetic feeding Reshape");
        var graph = new ModelGraph("fold", new Dictionary<string, int[]> { ["x"] = c.Input }, c.Constants, c.Nodes, ["y"], c.Opset);
        Assert.Equal(["Reshape"], graph.Nodes.Select(n => n.OpType));
        Assert.Equal([2, 60], graph.Shape("y"));
        Assert.Equal([2f, -1f], graph.Initializers["target"].Values);
    }
}
