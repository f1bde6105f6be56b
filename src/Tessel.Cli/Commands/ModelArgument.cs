using System.CommandLine;
using Tessel.Graph;
using Tessel.Graph.Onnx;
using Tessel.Graph.Zoo;
using Tessel.Tasks;

namespace Tessel.Cli.Commands;

/// <summary>The MODEL argument of model commands: <c>zoo:NAME</c> for a built-in model.</summary>
public static class ModelArgument
{
    public static Argument<string> Create() => new("model")
    {
        Description = $"An ONNX file (static input shapes), or a built-in model zoo:NAME ({string.Join(", ", ModelZoo.Names)})",
    };

    public static ModelGraph Load(string model)
    {
        if (model.StartsWith("zoo:", StringComparison.OrdinalIgnoreCase))
        {
            try { return ModelZoo.Build(model[4..]); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
        }
        if (File.Exists(model))
        {
            try { return OnnxImport.Load(model); }
            catch (FormatException e) { throw new UsageException(e.Message); }
        }
        throw new UsageException($"model '{model}' is neither zoo:NAME ({string.Join(", ", ModelZoo.Names)}) nor an existing file");
    }

    public static IReadOnlyList<ExtractedTask> Tasks(string model) => TaskExtraction.Extract(Load(model), Target.Host);
}
