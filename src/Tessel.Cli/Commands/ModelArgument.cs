using System.CommandLine;
using Tessel.Graph;
using Tessel.Graph.Onnx;
using Tessel.Graph.Zoo;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Cli.Commands;

/// <summary>The MODEL argument of model commands (<c>zoo:NAME</c> or an .onnx file) and its
/// <c>--shape NAME=dims</c> option, which fixes an ONNX input's symbolic dims.</summary>
public sealed class ModelArgument
{
    public Argument<string> Model { get; } = new("model")
    {
        Description = $"An ONNX file, or a built-in model zoo:NAME ({string.Join(", ", ModelZoo.Names)})",
    };

    public Option<string[]> Shapes { get; } = new("--shape")
    {
        Description = "Static shape for an ONNX input with symbolic dims, NAME=1,3,640,640 (repeat for several inputs)",
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        command.Arguments.Insert(0, Model);
        command.Options.Add(Shapes);
    }

    public string Name(ParseResult parsed) => parsed.GetValue(Model)!;

    public ModelGraph Load(ParseResult parsed)
    {
        var model = Name(parsed);
        var shapes = ParseShapes(parsed.GetValue(Shapes) ?? []);
        if (model.StartsWith("zoo:", StringComparison.OrdinalIgnoreCase))
        {
            if (shapes.Count > 0) throw new UsageException("--shape applies to ONNX files; zoo models have fixed input shapes");
            try { return ModelZoo.Build(model[4..]); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
        }
        if (File.Exists(model))
        {
            try { return OnnxImport.Load(model, shapes); }
            catch (FormatException e) { throw new UsageException(e.Message); }
        }
        throw new UsageException($"model '{model}' is neither zoo:NAME ({string.Join(", ", ModelZoo.Names)}) nor an existing file");
    }

    /// <summary>The model's ONNX file as bytes, for ONNX Runtime; null for a zoo model (whose export is its reference).</summary>
    public byte[]? OnnxBytes(ParseResult parsed) =>
        Name(parsed).StartsWith("zoo:", StringComparison.OrdinalIgnoreCase) ? null : File.ReadAllBytes(Name(parsed));

    public IReadOnlyList<ExtractedTask> Tasks(ParseResult parsed) => TaskExtraction.Extract(Load(parsed), Target.Host);

    private static Dictionary<string, int[]> ParseShapes(string[] values)
    {
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var at = value.LastIndexOf('=');
            if (at <= 0) throw new UsageException($"--shape '{value}': expected NAME=dims, e.g. x=1,3,224,224");
            var dims = IntListParser.Parse($"--shape {value[..at]}", value[(at + 1)..]);
            if (dims.Any(d => d < 1)) throw new UsageException($"--shape '{value}': every dim must be >= 1");
            shapes[value[..at]] = dims;
        }
        return shapes;
    }
}
