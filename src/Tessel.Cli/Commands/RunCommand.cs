using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tessel.Cli.Terminal;
using Tessel.Graph.Onnx;
using Tessel.OnnxRuntime;
using Tessel.Runtime;
using Tessel.Planning;
using Tessel.Records;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel run MODEL</c>: runs a whole model with the best kernels of a log and reports its
/// latency; <c>--verify</c> runs the same model in ONNX Runtime with the same threads and compares outputs.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var model = new ModelArgument();
        var history = new HistoryOptions();
        var shipped = new ShippedOption();
        var threads = new Option<int>("--threads") { Description = "Threads the model may use", DefaultValueFactory = _ => Environment.ProcessorCount };
        threads.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError($"--threads must be >= 1, got {r.GetValueOrDefault<int>()}"); });
        var verify = new Option<bool>("--verify") { Description = "Also run the model in ONNX Runtime (same threads) and compare outputs and latency" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var profile = new Option<bool>("--profile") { Description = "Also print where the time goes: milliseconds per run in each kind of step, and each step's time in the model's order, " +
            "rerun warm, and as tuned alone" };
        var source = new Option<string?>("--model")
        {
            Description = "With an artifact: the ONNX file (or zoo:NAME) it was built from, for --verify (default: the source its manifest names)",
        };
        var command = new Command("run", "Run a whole model (an ONNX file, zoo:NAME, or an artifact directory from `tessel build`) with tuned kernels and measure its latency")
        {
            threads, verify, json, profile, source,
        };
        model.AddTo(command);
        history.AddTo(command);
        shipped.AddTo(command);
        command.SetAction(parsed =>
        {
            if (Directory.Exists(model.Name(parsed)))
            {
                if (history.Path(parsed) is not null || parsed.GetValue(shipped.NoShipped))
                    throw new UsageException("an artifact holds its kernels: --log, --db and --no-shipped apply to models");
                var threadsGiven = parsed.GetResult(threads) is { Implicit: false };
                Report(RunArtifact(model.Name(parsed), threadsGiven ? parsed.GetValue(threads) : null, parsed.GetValue(source), parsed.GetValue(verify), parsed.GetValue(profile)),
                    parsed.GetValue(json));
                return ExitCodes.Ok;
            }
            if (parsed.GetValue(source) is not null) throw new UsageException("--model applies to an artifact directory");
            var graph = model.Load(parsed);
            var records = history.Records(parsed);
            var start = shipped.Start(parsed, () => records ?? []);
            var n = parsed.GetValue(threads);
            var reference = model.OnnxBytes(parsed);
            var result = ModelRun.Measure(graph, reference, records is null ? null : new HistoryBest(records), n, parsed.GetValue(verify), parsed.GetValue(profile), start);
            history.WarnIfUnused(parsed, result.KernelsFromLog);
            Report(result, parsed.GetValue(json));
            if (!parsed.GetValue(json) && ShippedOption.ShippedFrom(start, result.KernelsShipped) is { } from) Consoles.Out.MarkupLine(Markup.Escape(from));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Report(ModelRun result, bool json)
    {
        if (json) { Consoles.WriteJson(result.ToJson()); return; }
        if (result.Steps is { } steps) Consoles.Out.Write(StepTable(result, steps));
        Summary(result);
    }

    /// <summary>Loads an artifact through the runtime library, as an app would, and measures it; the model for
    /// <c>--verify</c> is <paramref name="source"/> or the one the manifest names (a zoo model is built again).</summary>
    private static ModelRun RunArtifact(string directory, int? threads, string? source, bool verify, bool profile)
    {
        using var artifact = TesselModel.Load(directory, new TesselOptions { Threads = threads });
        byte[]? onnx = null;
        if (verify)
        {
            var path = source ?? artifact.Manifest.Source.Path;
            if (path.StartsWith("zoo:", StringComparison.OrdinalIgnoreCase))
            {
                try { onnx = OnnxExport.ToBytes(Tessel.Graph.Zoo.ModelZoo.Build(path[4..])); }
                catch (ArgumentException e) { throw new UsageException(e.Message); }
            }
            else if (File.Exists(path)) onnx = File.ReadAllBytes(path);
            else throw new UsageException($"--verify: the source model {path} is not there; give it with --model");
        }
        return ModelRun.Measure(artifact, onnx, verify, profile);
    }

    /// <summary>What a person wants from a run: the latency beside ONNX Runtime's, whether the outputs agree, and where
    /// the kernels came from (<c>--json</c> has every figure).</summary>
    private static void Summary(ModelRun result)
    {
        var ort = result.OrtLatencyMs is { } o ? $" (ONNX Runtime {o:F2} ms: Tessel takes {result.LatencyMs / o:F2}x its time)" : "";
        Consoles.Out.MarkupLine(Markup.Escape($"latency {result.LatencyMs:F2} ms{ort}"));
        if (result.MaxAbsErr is { } abs && result.MaxRelErr is { } rel)
            Consoles.Out.MarkupLine(Markup.Escape($"outputs against ONNX Runtime: max abs error {abs:G3}, max relative error {rel:G3}"));
        if (result.OutputErrors.Count > 1)
            foreach (var (name, outputAbs, outputRel) in result.OutputErrors)
                Consoles.Out.MarkupLine(Markup.Escape($"  {name}: max abs error {outputAbs:G3}, max relative error {outputRel:G3}"));
        Consoles.Out.MarkupLine(Markup.Escape(
            $"kernels: {ShippedOption.Sources(result.KernelsFromLog, result.KernelsShipped, result.KernelsSimilar, result.KernelsDefault)}; layout plan {result.LayoutPolicy}"));
        var (shipped, similar) = result.StartOffered;
        if (shipped + similar > result.KernelsShipped + result.KernelsSimilar)
            Consoles.Out.MarkupLine(Markup.Escape($"a zero-trial start of {shipped} shipped and {similar} similar configs was timed against the plan kept, and ran slower"));
    }

    /// <summary>Each step's milliseconds: in order, warm, and as tuned alone, with the ratio of the first to the
    /// last; with ORT's profile, the time ORT's node for the same layer took inside its own run of the model, and
    /// after the steps, what ORT ran that matches no step (its layout reorders), by op.</summary>
    private static Table StepTable(ModelRun run, IReadOnlyList<StepProfile> steps)
    {
        var table = new Table().AddColumns("node", "kind", "in order ms", "warm ms", "tuned alone ms", "in order / alone");
        var profiled = run.OrtSteps is not null;
        if (profiled) table.AddColumns("ORT ms", "in order / ORT");
        static string Ms(double? seconds) => seconds is { } s ? $"{s * 1e3:F3}" : "";
        foreach (var step in steps)
        {
            var alone = step.Label.TunedSeconds;
            var row = new List<string> { Markup.Escape(step.Label.Node), Markup.Escape(step.Label.Kind), Ms(step.InSequenceSeconds), Ms(step.WarmSeconds),
                Ms(alone), alone is { } a ? $"{step.InSequenceSeconds / a:F2}" : "" };
            if (profiled)
            {
                var theirs = run.OrtSecondsOf(step.Label);
                row.AddRange([Ms(theirs), theirs is { } o && o > 0 ? $"{step.InSequenceSeconds / o:F2}" : ""]);
            }
            table.AddRow(row.ToArray());
        }
        foreach (var (op, nodes, seconds) in run.OrtOnly())
            table.AddRow([$"(ORT only, {nodes} nodes)", Markup.Escape(op), "", "", "", "", Ms(seconds), ""]);
        return table;
    }
}
