// Classifies one image with a model tuned and built by Tessel: loads the artifact, runs it, prints the top classes.
//
//   dotnet run -- ARTIFACT_DIR [--input image.f32] [--output scores.f32] [--top 5] [--threads N]
//
// The input is the model's input tensor as raw little-endian float32 (NCHW, already resized and normalised); without
// --input a fixed pseudo-random image is used. --output writes the first output the same way.
using System.Diagnostics;
using System.Runtime.InteropServices;
using Tessel.Runtime;

if (args.Length == 0 || args[0].StartsWith('-'))
{
    Console.Error.WriteLine("usage: ImageClassifier ARTIFACT_DIR [--input image.f32] [--output scores.f32] [--top 5] [--threads N]");
    return 2;
}
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

var clock = Stopwatch.StartNew();
var options = new TesselOptions { Threads = Option("--threads") is { } t ? int.Parse(t) : null };
#if KERNELS_COMPILED_IN
options = new TesselOptions { Threads = options.Threads, Kernels = TesselArtifact.KernelFactory.Create };
#endif
using var model = TesselModel.Load(args[0], options);
var loaded = clock.Elapsed;

var input = Option("--input") is { } path ? MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray() : SampleImage(model.Inputs[0].Length);
var scores = new float[model.Outputs[0].Length];
model.Run(input, scores);
var firstRun = clock.Elapsed - loaded;

if (Option("--output") is { } outPath) File.WriteAllBytes(outPath, MemoryMarshal.AsBytes(scores.AsSpan()).ToArray());
using (var self = Process.GetCurrentProcess())
    Console.WriteLine($"{model.Manifest.Model}: loaded in {loaded.TotalMilliseconds:F1} ms, first run {firstRun.TotalMilliseconds:F1} ms, {model.Threads} threads, " +
        $"peak working set {self.PeakWorkingSet64 / 1e6:F1} MB");
var top = int.Parse(Option("--top") ?? "5");
foreach (var (score, index) in scores.Select((s, i) => (s, i)).OrderByDescending(p => p.s).Take(top))
    Console.WriteLine($"class {index,5}: {score,10:F4}");
return 0;

// A fixed image for a run with no input: uniform in [-1, 1), seed 7 (what `tessel run` feeds a model).
static float[] SampleImage(int length)
{
    var random = new Random(7);
    var data = new float[length];
    for (var i = 0; i < data.Length; i++) data[i] = random.NextSingle() * 2 - 1;
    return data;
}

