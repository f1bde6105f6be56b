using Google.Protobuf;
using Tessel.Graph.Onnx;
using Tessel.Graph.Onnx.Proto;

namespace Tessel.IntegrationTests.Cli;

/// <summary>Broken ONNX files through the real command: each exits non-zero with one message naming the file
/// and what is wrong, and no exception stack reaches the user.</summary>
public sealed class BadModelTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessel-bad-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>A small valid model: x[1,2,4,4] -> Conv(w[3,2,1,1]) -> Relu -> y; <paramref name="edit"/> breaks it.</summary>
    private string Model(string name, Action<ModelProto> edit)
    {
        var graph = new GraphProto { Name = "small" };
        graph.Input.Add(SingleOpModel.Value("x", [1, 2, 4, 4]));
        graph.Output.Add(SingleOpModel.Value("y", [1, 3, 4, 4]));
        graph.Initializer.Add(SingleOpModel.Tensor("w", [3, 2, 1, 1], [1, 2, 3, 4, 5, 6]));
        graph.Node.Add(new NodeProto { OpType = "Conv", Name = "conv", Input = { "x", "w" }, Output = { "c" } });
        graph.Node.Add(new NodeProto { OpType = "Relu", Name = "relu", Input = { "c" }, Output = { "y" } });
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        edit(model);
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    private void AssertClearError(string path, string expected, params string[] extra)
    {
        var run = CliRunner.Run(directory, ["tasks", path, .. extra]);
        Assert.True(run.ExitCode != 0, $"{path} was accepted");
        Assert.Contains(path, run.Stderr);
        Assert.Contains(expected, run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public void The_valid_model_is_accepted()
    {
        var run = CliRunner.Run(directory, "run", Model("ok.onnx", _ => { }), "--verify", "--json", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("\"max_rel_err\"", run.Stdout);
    }

    [Fact]
    public void Truncated_random_and_non_model_files_are_named()
    {
        var whole = File.ReadAllBytes(Model("whole.onnx", _ => { }));
        var truncated = Path.Combine(directory, "truncated.onnx");
        File.WriteAllBytes(truncated, whole[..(whole.Length * 2 / 3)]);
        AssertClearError(truncated, "not a valid ONNX model");
        var random = Path.Combine(directory, "random.onnx");
        File.WriteAllBytes(random, Enumerable.Range(0, 3000).Select(i => (byte)(i * 7919 % 251)).ToArray());
        AssertClearError(random, "ONNX model");
        var tensor = Path.Combine(directory, "tensor.onnx");
        File.WriteAllBytes(tensor, SingleOpModel.Tensor("t", [2, 2], [1, 2, 3, 4]).ToByteArray());
        AssertClearError(tensor, "ONNX model");
    }

    [Fact]
    public void A_node_reading_a_tensor_nothing_produces_is_named()
    {
        var path = Model("ghost.onnx", m => m.Graph.Node[1].Input[0] = "ghost");
        AssertClearError(path, "'relu'");
        AssertClearError(path, "'ghost', which no input, weight or earlier node produces");
    }

    [Fact]
    public void A_weight_of_the_wrong_size_is_named()
    {
        AssertClearError(Model("short.onnx", m => m.Graph.Initializer[0] = SingleOpModel.Tensor("w", [3, 2, 1, 1], [1, 2, 3, 4])), "tensor 'w' has 4 values for shape [3,2,1,1]");
        AssertClearError(Model("mismatch.onnx", m => m.Graph.Initializer[0] = SingleOpModel.Tensor("w", [3, 5, 1, 1], new float[15])), "does not fit input [1,2,4,4]");
    }

    [Fact]
    public void An_unsupported_op_is_named_with_its_node_and_opset()
    {
        AssertClearError(Model("op.onnx", m => m.Graph.Node[1].OpType = "NonMaxSuppression"), "NonMaxSuppression 'relu' (opset 13): op type 'NonMaxSuppression' is not supported");
        AssertClearError(Model("domain.onnx", m => m.Graph.Node[1].Domain = "com.microsoft"), "op domain 'com.microsoft'");
    }

    [Fact]
    public void Subgraphs_and_external_data_are_named()
    {
        AssertClearError(Model("if.onnx", m => m.Graph.Node[1].Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = new GraphProto() })),
            "has a subgraph");
        AssertClearError(Model("external.onnx", m =>
        {
            var w = m.Graph.Initializer[0];
            w.RawData = ByteString.Empty;
            w.DataLocation = TensorProto.Types.DataLocation.External;
        }), "external file");
    }

    [Fact]
    public void A_symbolic_dim_needs_a_shape_and_a_shape_must_fit()
    {
        var path = Model("symbolic.onnx", m => m.Graph.Input[0].Type.TensorType.Shape.Dim[3] = new TensorShapeProto.Types.Dimension { DimParam = "width" });
        AssertClearError(path, "input 'x' has symbolic dims [1,2,4,width]; give a static shape with --shape x=1,2,4,N");
        AssertClearError(path, "does not fit the input's dims", "--shape", "x=1,3,4,9");
        AssertClearError(path, "'z', which is not an input", "--shape", "z=1");
        var run = CliRunner.Run(directory, "tasks", path, "--shape", "x=1,2,4,9", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("[1,2,4,9]", run.Stdout.Replace(" ", "").Replace("\n", ""));
    }
}
