using System.CommandLine;
using Spectre.Console;
using Tessel.Cli.Terminal;
using Tessel.Graph.Onnx;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel export MODEL -o FILE.onnx</c>: writes a model (a zoo model, with its fixed-seed weights)
/// as an ONNX file that ONNX Runtime and other tools load.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var model = new ModelArgument();
        var output = new Option<string>("--output", "-o") { Description = "The ONNX file to write", Required = true };
        var command = new Command("export", "Write a model as an ONNX file (zoo models with their fixed-seed weights)") { output };
        model.AddTo(command);
        command.SetAction(parsed =>
        {
            var graph = model.Load(parsed);
            var path = parsed.GetValue(output)!;
            try { File.WriteAllBytes(path, OnnxExport.ToBytes(graph)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new UsageException($"cannot write '{path}': {e.Message}"); }
            Consoles.Error.WriteLine($"wrote {path}: {graph.SourceNodes.Count} nodes, {graph.SourceInitializers.Sum(i => i.Elements):N0} weights, opset {graph.Opset}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
