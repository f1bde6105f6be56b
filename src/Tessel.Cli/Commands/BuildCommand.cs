using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tessel.Cli.Terminal;
using Tessel.Deployment;
using Tessel.Planning;
using Tessel.Records;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel build MODEL --log L -o DIR</c>: compiles the model with the log's best kernels, chooses its
/// layout plan by timing the candidates here, and writes it all out as an artifact directory that the
/// <c>Tessel.Runtime</c> library loads in any .NET app (docs/DEPLOY.md).</summary>
public static class BuildCommand
{
    public static Command Create()
    {
        var model = new ModelArgument();
        var history = new HistoryOptions();
        var shipped = new ShippedOption();
        var threads = new Option<int>("--threads")
        {
            Description = "Threads the plan is chosen for (a loader may run it on others)", DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        threads.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError($"--threads must be >= 1, got {r.GetValueOrDefault<int>()}"); });
        var output = new Option<string>("--output", "-o") { Description = "The artifact directory to write (created; an artifact there is replaced)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("build", "Build a tuned model into an artifact directory that the Tessel.Runtime library loads and runs") { threads, output, json };
        model.AddTo(command);
        history.AddTo(command);
        shipped.AddTo(command);
        command.SetAction(parsed =>
        {
            var clock = Stopwatch.StartNew();
            var graph = model.Load(parsed);
            var records = history.Records(parsed);
            var start = shipped.Start(parsed, () => records ?? []);
            var compiled = CompiledModel.Compile(graph, records is null ? null : new HistoryBest(records), parsed.GetValue(threads), start: start);
            if (history.Path(parsed) is null)
                Consoles.Warn("no --log or --db: kernels run shipped, similar or default configs, none tuned on this machine (tune first for speed)");
            history.WarnIfUnused(parsed, compiled.KernelsFromLog);
            var directory = parsed.GetValue(output)!;
            var name = model.Name(parsed);
            var manifest = ArtifactBuilder.Write(compiled, name.StartsWith("zoo:", StringComparison.OrdinalIgnoreCase) ? name : Path.GetFullPath(name), directory);
            var bytes = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            var result = new JsonObject
            {
                ["artifact"] = Path.GetFullPath(directory),
                ["kernels_from_log"] = compiled.KernelsFromLog,
                ["kernels_shipped"] = compiled.KernelsShipped,
                ["kernels_similar"] = compiled.KernelsSimilar,
                ["kernels_default"] = compiled.KernelsDefault,
                ["layout_policy"] = compiled.Policy,
                ["cpu_features"] = new JsonArray(manifest.CpuFeatures.Select(f => (JsonNode)f).ToArray()),
                ["threads"] = manifest.Threads,
                ["bytes"] = bytes,
                ["seconds"] = clock.Elapsed.TotalSeconds,
            };
            if (parsed.GetValue(json)) Consoles.WriteJson(result);
            else
                Consoles.Out.MarkupLine(Markup.Escape($"wrote {Path.GetFullPath(directory)} ({bytes / 1e6:F1} MB) in {clock.Elapsed.TotalSeconds:F1} s: " +
                    $"{manifest.Kernels.Length} kernels ({ShippedOption.Sources(compiled.KernelsFromLog, compiled.KernelsShipped, compiled.KernelsSimilar, compiled.KernelsDefault)}), " +
                    $"layout plan {compiled.Policy}, " +
                    $"needs {string.Join("+", manifest.CpuFeatures.DefaultIfEmpty("no vector features"))}; run it with `tessel run {directory}` or Tessel.Runtime's TesselModel.Load"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
