using Tessel.Graph;
using Tessel.Graph.Onnx;
using Tessel.OnnxRuntime;
using Tessel.Planning;

namespace Tessel.Tests.Graph;

public class GraphBuilderConvTransposeTests
{
    /// <summary>Every attribute off its default (groups, bias, dilation, output_padding): the builder's inferred shape,
    /// the export ONNX Runtime loads, and the runtime's plain operator all agree.</summary>
    [Fact]
    public void A_built_conv_transpose_exports_and_runs_like_onnx_runtime()
    {
        var b = new GraphBuilder("deconv", seed: 1);
        var y = b.ConvTranspose(b.Input("data", [1, 4, 5, 6]), 6, 3, stride: 2, pad: 1, outputPadding: 1, groups: 2, bias: true, dilation: 2);
        var graph = b.Build(y);
        // 2 * (5 - 1) + 1 + 2 * (3 - 1) + 1 - 2 = 12 rows; 14 columns from 6.
        Assert.Equal([1, 6, 12, 14], graph.Shape(y));
        var node = graph.SourceNodes.Single();
        Assert.Equal([[4, 3, 3, 3], [6]], node.Inputs.Skip(1).Select(graph.Shape));
        Assert.Equal([2, 2], node.Ints("dilations", []));
        Assert.Equal([1, 1], node.Ints("output_padding", []));

        var data = CompiledModel.SampleInput(graph);
        var ours = CompiledModel.Compile(graph, history: null, threads: 1).Run(data)[0];
        using var ort = new OrtReference(OnnxExport.ToBytes(graph), threads: 1);
        var expected = ort.Run(data, [1, 4, 5, 6]);
        Assert.Equal(expected.Length, ours.Length);
        var err = expected.Zip(ours, (e, o) => Math.Abs((double)e - o)).Max();
        Assert.True(err < 1e-5 * expected.Max(Math.Abs), $"max error {err}");
    }
}
