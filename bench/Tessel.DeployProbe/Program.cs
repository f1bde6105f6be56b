// Starts a model cold and reports, as one JSON line: milliseconds from Main to the first result, from the process's
// start to the first result, a steady run's median, and the process's peak working set.
//
//   Tessel.DeployProbe artifact DIR THREADS | compile MODEL LOG THREADS | ort ONNX THREADS
//
// Each path is in a method of its own, so a run loads only the assemblies its path calls (the JIT resolves a method's
// references when it compiles it): the artifact path loads Tessel.Runtime and the framework, as an app would.
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

var clock = Stopwatch.StartNew();
var threads = int.Parse(args[^1]);
Action run = args[0] switch
{
    "artifact" => Artifact(args[1], threads),
    "compile" => Compile(args[1], args[2], threads),
    "ort" => Ort(args[1], threads),
    _ => throw new ArgumentException($"unknown probe '{args[0]}' (artifact, compile or ort)"),
};
var first = clock.Elapsed.TotalMilliseconds;
var sinceStart = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
var steady = new List<double>();
for (var i = 0; i < 15; i++)
{
    var start = Stopwatch.GetTimestamp();
    run();
    steady.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
}
using var self = Process.GetCurrentProcess();
Console.WriteLine(new JsonObject
{
    ["first_result_ms"] = first,
    ["since_process_start_ms"] = sinceStart,
    ["steady_ms"] = steady.Order().ElementAt(steady.Count / 2),
    ["peak_working_set_mb"] = self.PeakWorkingSet64 / 1e6,
}.ToJsonString());
return 0;

[MethodImpl(MethodImplOptions.NoInlining)]
static Action Artifact(string directory, int threads)
{
    var model = Tessel.Runtime.TesselModel.Load(directory, new Tessel.Runtime.TesselOptions { Threads = threads });
    var input = Tessel.Runtime.SampleInputs.Uniform(model.Inputs[0].Length);
    var output = new float[model.Outputs[0].Length];
    model.Run(input, output);
    return () => model.Run(input, output);
}

[MethodImpl(MethodImplOptions.NoInlining)]
static Action Compile(string source, string log, int threads)
{
    var graph = source.StartsWith("zoo:", StringComparison.Ordinal) ? Tessel.Graph.Zoo.ModelZoo.Build(source[4..]) : Tessel.Graph.Onnx.OnnxImport.Load(source);
    var compiled = Tessel.Planning.CompiledModel.Compile(graph, Tessel.Records.HistoryBest.Load(log, _ => { }), threads);
    var input = Tessel.Runtime.SampleInputs.Uniform(compiled.Plan.InputLength);
    compiled.Run(input);
    return () => compiled.Plan.RunSteps();
}

[MethodImpl(MethodImplOptions.NoInlining)]
static Action Ort(string onnx, int threads)
{
    var reference = new Tessel.OnnxRuntime.OrtReference(File.ReadAllBytes(onnx), threads);
    var shape = reference.InputShape;
    var input = Tessel.Runtime.SampleInputs.Uniform(shape.Aggregate(1, (a, b) => a * b));
    reference.RunAll(input, shape);
    return () => reference.RunAll(input, shape);
}
