using System.Diagnostics;
using System.Text.Json.Nodes;
using Tessel.Deployment;
using Tessel.Graph;
using Tessel.Graph.Onnx;
using Tessel.Graph.Zoo;
using Tessel.Measure;
using Tessel.Measure.Timing;
using Tessel.OnnxRuntime;
using Tessel.Planning;
using Tessel.Records;
using Tessel.Runtime;
using Tessel.Runtime.Artifacts;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Bench;

/// <summary>A tuned model deployed, side by side in one run, at 1 and 2 threads: (1) start to first result, each in a
/// fresh process, the three paths in turns — an artifact through Tessel.Runtime (<c>TesselModel.Load</c> and a run),
/// the log compiled as <c>tessel run</c> does (Roslyn and plan timing), ONNX Runtime's session made and run; (2) steady
/// latency in this process through one timing engine, in turns: the artifact, the same log compiled in process (the
/// same plan: equal within noise), ONNX Runtime; (3) the peak working set of the artifact's and ONNX Runtime's
/// processes against the weights and planned activations; (4) the artifact's size against the ONNX file's. Each
/// model is tuned first as <c>bench models</c> tunes it (its logs are shared with that suite and resumed).</summary>
public static class DeploySuite
{
    private sealed record Model(string Name, string Source, Func<ModelGraph> Load, Func<ModelGraph, byte[]> Onnx);

    private sealed record Row(string Name, int Threads, double BuildSeconds, Cold Artifact, Cold Compile, Cold Ort, Cold? Aot, double[] Steady, double ExpectedMb,
        double ArtifactMb, double OnnxMb, double MaxRelErr);

    /// <summary>Medians over a model's cold starts: ms from Main to the first result, ms from the process's start,
    /// a steady run's ms in that process, and its peak working set (MB).</summary>
    private sealed record Cold(double FirstMs, double SinceStartMs, double SteadyMs, double PeakMb);

    private const int ColdStarts = 3;

    private static IEnumerable<Model> Models()
    {
        foreach (var name in new[] { "resnet50_v1", "mobilenetv2_1.0" })
            yield return new Model(name, "zoo:" + name, () => ModelZoo.Build(name), OnnxExport.ToBytes);
        var shared = Path.Combine(BenchData.Models, "blazeface-front-128.onnx");
        if (File.Exists(shared)) yield return new Model("blazeface-front-128", shared, () => OnnxImport.Load(shared), _ => File.ReadAllBytes(shared));
    }

    public static async Task<string> RunAsync(int trials, string? only, TextWriter progress, CancellationToken ct = default)
    {
        var models = NameFilter.Apply(only, Models(), m => m.Name);
        if (models.Count == 0) throw new ArgumentException($"no model matches '{only}'");
        var work = Directory.CreateTempSubdirectory("tessel-bench-deploy-").FullName;
        var rows = new List<Row>();
        try
        {
            var aot = NativeAot.PackRuntime(work, progress);
            foreach (var model in models)
            {
                var graph = model.Load();
                var tasks = TaskExtraction.Extract(graph, Target.Host).Select(t => t.Task).ToList();
                var onnxPath = Path.Combine(work, model.Name + ".onnx");
                File.WriteAllBytes(onnxPath, model.Onnx(graph));
                foreach (var threads in new[] { 1, 2 })
                {
                    string log;
                    await using (var measurer = new LocalMeasurer(new MeasureOptions { Threads = threads }))
                        log = await BenchLogs.TuneScheduled(model.Name, tasks, trials, measurer, progress, ct);
                    rows.Add(Measure(model, graph, log, onnxPath, threads, Path.Combine(work, $"{model.Name}-t{threads}.tessel"), aot, progress));
                }
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        return Markdown(rows, trials);
    }

    private static Row Measure(Model model, ModelGraph graph, string log, string onnxPath, int threads, string artifact, NativeAot? aot, TextWriter progress)
    {
        var clock = Stopwatch.StartNew();
        var history = HistoryBest.Load(log, progress.WriteLine);
        var compiled = CompiledModel.Compile(graph, history, threads);
        var manifest = ArtifactBuilder.Write(compiled, model.Source, artifact);
        var buildSeconds = clock.Elapsed.TotalSeconds;

        var probes = new (string Name, string[] Args)[]
        {
            ("artifact", ["artifact", artifact, $"{threads}"]),
            ("compile", ["compile", model.Source.StartsWith("zoo:", StringComparison.Ordinal) ? model.Source : onnxPath, log, $"{threads}"]),
            ("ort", ["ort", onnxPath, $"{threads}"]),
        };
        var aotApp = aot?.Publish(artifact, progress);
        if (aotApp is not null) probes = [.. probes, ("aot", [aotApp, artifact, "--threads", $"{threads}", "--top", "1"])];
        var cold = probes.ToDictionary(p => p.Name, _ => new List<JsonObject>());
        for (var round = 0; round < ColdStarts; round++)
            foreach (var (name, args) in round % 2 == 0 ? probes : probes.Reverse())
                cold[name].Add(name == "aot" ? NativeAot.Run(args) : Probe(args));
        Cold Summary(string name) => new(Median(cold[name], "first_result_ms"), Median(cold[name], "since_process_start_ms"), Median(cold[name], "steady_ms"),
            Median(cold[name], "peak_working_set_mb"));

        // Steady latency in this process, in turns through one timing engine.
        using var loaded = TesselModel.Load(artifact);
        var data = CompiledModel.SampleInput(graph);
        var output = new float[loaded.Outputs[0].Length];
        using var ort = new OrtReference(File.ReadAllBytes(onnxPath), threads);
        using var ortRuns = ort.Bind(data, graph.Inputs.Single().Value);
        var ours = loaded.Run(new Dictionary<string, float[]> { [loaded.Inputs[0].Name] = data });
        var maxRel = OutputErrors.Compare(ort.RunAll(data, graph.Inputs.Single().Value), graph.Outputs.Select(o => ours[o]).ToArray()).MaxRel;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var steady = LatencyTimer.System.InTurns(
            [calls => { for (long i = 0; i < calls; i++) loaded.Run(data, output); }, compiled.Calls(data), ortRuns.Calls],
            new LatencyProtocol(WarmUpCalls: 2, MinRepeatMs: 200, Repeats: 3), rounds: 5).Select(s => s.Median * 1e3).ToArray();

        var plan = compiled.Compiled.Spec;
        var expectedMb = (manifest.Weights.Length + plan.BufferLengths.Sum(l => 4L * l)) / 1e6;
        var artifactMb = Directory.EnumerateFiles(artifact, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / 1e6;
        var row = new Row(model.Name, threads, buildSeconds, Summary("artifact"), Summary("compile"), Summary("ort"), aotApp is null ? null : Summary("aot"), steady, expectedMb, artifactMb,
            new FileInfo(onnxPath).Length / 1e6, maxRel);
        progress.WriteLine($"[{model.Name} t{threads}] first result: artifact {Stats.F(row.Artifact.FirstMs)} ms, tessel run path {Stats.F(row.Compile.FirstMs)} ms, " +
            $"ORT {Stats.F(row.Ort.FirstMs)} ms; steady {Stats.F(steady[0], 2)} / {Stats.F(steady[1], 2)} / {Stats.F(steady[2], 2)} ms");
        return row;
    }

    /// <summary>One cold start in a fresh process (<c>Tessel.DeployProbe</c>, beside this binary).</summary>
    private static JsonObject Probe(string[] args)
    {
        var probe = Path.Combine(AppContext.BaseDirectory, "Tessel.DeployProbe.dll");
        if (!File.Exists(probe)) throw new FileNotFoundException($"{probe} not found: build bench/Tessel.DeployProbe (the CLI references it)", probe);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["exec", probe, .. args]) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(true); throw new TimeoutException($"probe {string.Join(' ', args)} did not finish"); }
        if (process.ExitCode != 0) throw new InvalidOperationException($"probe {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        return JsonNode.Parse(stdout.Result.Trim().Split('\n')[^1])!.AsObject();
    }

    private static double Median(List<JsonObject> runs, string key) => Stats.Median(runs.Select(r => r[key]!.GetValue<double>()));

    private static string Markdown(List<Row> rows, int trials)
    {
        var lines = new List<string>
        {
            $"Host: {HostCpu.Describe()}. Logs: the model-based tuner, gradient scheduler, {trials} trials per task, seed 1, tuned at the thread count of the row.",
            "",
            "Start to first result (ms; median of " + ColdStarts + " cold processes each, in turns; from Main, and in brackets from the process's start):",
            "",
            "| model | threads | artifact, JIT: Load + Run | artifact, NativeAOT sample: Load + Run | `tessel run` path: compile + plan + Run | " +
                "ONNX Runtime: session + Run | JIT / ORT | AOT / ORT | build s |",
            "|---|---|---|---|---|---|---|---|---|",
        };
        foreach (var r in rows)
            lines.Add($"| {r.Name} | {r.Threads} | {Stats.F(r.Artifact.FirstMs)} ({Stats.F(r.Artifact.SinceStartMs)}) | " +
                $"{(r.Aot is { } a ? $"{Stats.F(a.FirstMs)} ({Stats.F(a.SinceStartMs)})" : "-")} | " +
                $"{Stats.F(r.Compile.FirstMs)} ({Stats.F(r.Compile.SinceStartMs)}) | {Stats.F(r.Ort.FirstMs)} ({Stats.F(r.Ort.SinceStartMs)}) | {Stats.F(r.Artifact.FirstMs / r.Ort.FirstMs, 2)}x | " +
                $"{(r.Aot is { } b ? Stats.F(b.FirstMs / r.Ort.FirstMs, 2) + "x" : "-")} | {Stats.F(r.BuildSeconds)} |");
        lines.AddRange(["", "Steady latency (ms; in this process, one timing engine, 5 rounds in turns, median of round medians) and memory " +
            "(peak working set of the cold processes, MB; expected: weights + planned activations):", "",
            "| model | threads | artifact | same log compiled | ONNX Runtime | artifact / compiled | artifact / ORT | artifact peak MB (JIT, AOT) | ORT peak MB | " +
                "expected MB | AOT peak / expected | artifact MB | ONNX MB | max rel err |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]);
        foreach (var r in rows)
            lines.Add($"| {r.Name} | {r.Threads} | {Stats.F(r.Steady[0], 2)} | {Stats.F(r.Steady[1], 2)} | {Stats.F(r.Steady[2], 2)} | {Stats.F(r.Steady[0] / r.Steady[1], 3)} | " +
                $"{Stats.F(r.Steady[0] / r.Steady[2], 2)} | {Stats.F(r.Artifact.PeakMb)}, {(r.Aot is { } a ? Stats.F(a.PeakMb) : "-")} | {Stats.F(r.Ort.PeakMb)} | {Stats.F(r.ExpectedMb)} | " +
                $"{(r.Aot is { } b ? Stats.F(b.PeakMb / r.ExpectedMb, 2) : "-")} | {Stats.F(r.ArtifactMb)} | {Stats.F(r.OnnxMb)} | {r.MaxRelErr:0.0e+0} |");
        lines.Add("");
        lines.Add("The cold start leaves out the process's own start (the .NET runtime, the same for all: the bracketed figures include it). The JIT artifact " +
            "runs in the probe (Tessel.Runtime only on its path); the NativeAOT one is samples/ImageClassifier published with PublishAot, the artifact's kernels compiled " +
            "in, for this CPU. Expected memory: the weights file (kernel weights as packed, Winograd's transformed) + planned activations; peaks include the " +
            "runtime's own (JIT: the JIT and its code; AOT: a few MB).");
        return string.Join("\n", lines) + "\n";
    }
}
