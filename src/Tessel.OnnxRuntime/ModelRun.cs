using System.Text.Json.Nodes;
using Tessel.Graph.Onnx;
using Tessel.Planning;
using Tessel.Records;
using Tessel.Measure.Timing;
using Tessel.Runtime;
using Tessel.Runtime.Steps;
using Tessel.Selective;

namespace Tessel.OnnxRuntime;

/// <summary>A model's latency with Tessel's kernels, and where asked, ONNX Runtime's on the same weights.</summary>
public sealed record ModelRun(double LatencyMs, double? OrtLatencyMs, double? MaxAbsErr, double? MaxRelErr, int KernelsFromLog, int KernelsDefault)
{
    /// <summary>Tuned ops that ran a shipped record's config, and a similar workload's (<see cref="ConfigSource"/>).</summary>
    public int KernelsShipped { get; init; }
    public int KernelsSimilar { get; init; }

    /// <summary>What the zero-trial start offered (<see cref="CompiledModel.StartOffered"/>), kept or not.</summary>
    public (int Shipped, int Similar) StartOffered { get; init; }

    /// <summary>Each step's times (with <c>--profile</c>); <see cref="ProfileMs"/> sums them by kind.</summary>
    public IReadOnlyList<StepProfile>? Steps { get; init; }

    /// <summary>ONNX Runtime's own per-node times in the same model (with <c>--profile --verify</c>).</summary>
    public IReadOnlyList<OrtNodeTime>? OrtSteps { get; init; }

    /// <summary>Each output's errors against ONNX Runtime (with <c>--verify</c>), by output name.</summary>
    public IReadOnlyList<(string Name, double MaxAbs, double MaxRel)> OutputErrors { get; init; } = [];

    /// <summary>The layout policy the kernels were chosen under (greedy, nchw, nchw16c ...).</summary>
    public string LayoutPolicy { get; init; } = "";

    /// <summary>The distinct plans timed to choose it, in ms (<see cref="CompiledModel.PlansTimed"/>).</summary>
    public IReadOnlyList<(string Policy, double Seconds)> LayoutPlans { get; init; } = [];

    /// <summary>The seconds ONNX Runtime's node(s) for the same layer as <paramref name="step"/> took in its own run
    /// (matched by node name, else by output name), where ONNX Runtime was profiled and has such a node.</summary>
    public double? OrtSecondsOf(StepLabel step) =>
        OrtByLayer is { } ort && (ort.TryGetValue(step.Node, out var t) || ort.TryGetValue(step.Output, out t)) ? t : null;

    /// <summary>What ONNX Runtime ran that matches no step (its own layout reorders, say): seconds by op.</summary>
    public IEnumerable<(string OpType, int Nodes, double Seconds)> OrtOnly()
    {
        if (OrtSteps is null || Steps is null) yield break;
        var named = Steps.SelectMany(s => new[] { s.Label.Node, s.Label.Output }).ToHashSet(StringComparer.Ordinal);
        foreach (var op in OrtSteps.Where(n => !named.Contains(n.Layer)).GroupBy(n => n.OpType, StringComparer.Ordinal))
            yield return (op.Key, op.Count(), op.Sum(n => n.Seconds));
    }

    private IReadOnlyDictionary<string, double>? OrtByLayer => ortByLayer ??=
        OrtSteps?.GroupBy(n => n.Layer, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(n => n.Seconds), StringComparer.Ordinal);
    private IReadOnlyDictionary<string, double>? ortByLayer;

    public IReadOnlyDictionary<string, double>? ProfileMs => Steps is null ? null : StepProfile.ByKind(Steps).ToDictionary(p => p.Key, p => p.Value * 1e3);

    /// <summary>Compiles and times the model; with <paramref name="verify"/> also runs <paramref name="onnx"/>
    /// (the model's own file, or for a zoo model its export) in ONNX Runtime and compares every output. A node with nothing
    /// logged takes its <paramref name="start"/> where one is given.</summary>
    public static ModelRun Measure(Tessel.Graph.ModelGraph graph, byte[]? onnx, HistoryBest? history, int threads, bool verify, bool profile = false,
        ZeroTrialStart? start = null)
    {
        var compiled = CompiledModel.Compile(graph, history, threads, start: start);
        var data = CompiledModel.SampleInput(graph);
        var latency = compiled.MedianLatencySeconds(data) * 1e3;
        var steps = profile ? compiled.ProfileSteps(data) : null;
        var run = new ModelRun(latency, null, null, null, compiled.KernelsFromLog, compiled.KernelsDefault)
        {
            Steps = steps, LayoutPolicy = compiled.Policy, LayoutPlans = compiled.PlansTimed, KernelsShipped = compiled.KernelsShipped, KernelsSimilar = compiled.KernelsSimilar,
            StartOffered = compiled.StartOffered,
        };
        return verify ? run.Verified(onnx ?? OnnxExport.ToBytes(graph), threads, data, graph.Inputs.Single().Value, graph.Outputs, compiled.Run(data), profile) : run;
    }

    /// <summary>Times an artifact loaded by the runtime library (<see cref="TesselModel"/>) on the same sample input and
    /// by the same protocol as <see cref="Measure"/>; with <paramref name="verify"/>, compares it with ONNX Runtime on
    /// <paramref name="onnx"/>, the model it was built from.</summary>
    public static ModelRun Measure(TesselModel model, byte[]? onnx, bool verify, bool profile = false)
    {
        var input = model.Inputs.Single();
        var data = SampleInputs.Uniform(input.Length);
        var output = new float[model.Outputs[0].Length];
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var latency = LatencyTimer.System.Measure(calls =>
        {
            for (long i = 0; i < calls; i++) model.Run(data, output);
        }, new LatencyProtocol(WarmUpCalls: 1, MinRepeatMs: 200, Repeats: 5)).Median * 1e3;
        var steps = profile ? model.ProfileSteps(data, runs: 21) : null;
        var fromLog = model.Manifest.Kernels.Count(k => k.TunedSeconds is not null);
        var run = new ModelRun(latency, null, null, null, fromLog, model.Manifest.Kernels.Length - fromLog) { Steps = steps, LayoutPolicy = model.Manifest.LayoutPolicy };
        if (!verify) return run;
        if (onnx is null) throw new ArgumentException($"{model.Manifest.Model}: --verify needs the source model, and {model.Manifest.Source.Path} is not there (give --model)");
        var outputs = model.Run(new Dictionary<string, float[]> { [input.Name] = data });
        return run.Verified(onnx, model.Threads, data, input.Shape, model.Outputs.Select(o => o.Name).ToList(), model.Outputs.Select(o => outputs[o.Name]).ToArray(), profile);
    }

    /// <summary>This run with ONNX Runtime's outputs, errors and latency on the same input and threads beside it.</summary>
    private ModelRun Verified(byte[] onnx, int threads, float[] data, int[] shape, IReadOnlyList<string> names, float[][] ours, bool profile)
    {
        using var ort = new OrtReference(onnx, threads);
        var expected = ort.RunAll(data, shape);
        var (maxAbs, maxRel) = Tessel.OnnxRuntime.OutputErrors.Compare(expected, ours);
        var perOutput = Tessel.OnnxRuntime.OutputErrors.PerOutput(expected, ours).Select((e, i) => (names[i], e.MaxAbs, e.MaxRel)).ToList();
        var ortLatency = ort.MeasureLatency(data, shape, minRepeatMs: 200, repeats: 5).Median * 1e3;
        var ortSteps = profile ? OrtNodeProfile.Measure(onnx, threads, data, shape) : null;
        return this with { OrtLatencyMs = ortLatency, MaxAbsErr = maxAbs, MaxRelErr = maxRel, OrtSteps = ortSteps, OutputErrors = perOutput };
    }

    public JsonObject ToJson(bool withSteps = true) => new()
    {
        ["latency_ms"] = LatencyMs,
        ["ort_latency_ms"] = OrtLatencyMs,
        ["max_abs_err"] = MaxAbsErr,
        ["max_rel_err"] = MaxRelErr,
        ["kernels_from_log"] = KernelsFromLog,
        ["kernels_shipped"] = KernelsShipped,
        ["kernels_similar"] = KernelsSimilar,
        ["kernels_default"] = KernelsDefault,
        // Counted over every plan timed: where the kept one is the plan of defaults, what a zero-trial start had offered.
        ["zero_trial_offered"] = new JsonObject { ["kernels_shipped"] = StartOffered.Shipped, ["kernels_similar"] = StartOffered.Similar },
        ["outputs"] = OrtLatencyMs is null ? null : new JsonArray(OutputErrors.Select(o => (JsonNode)new JsonObject
        {
            ["name"] = o.Name, ["max_abs_err"] = o.MaxAbs, ["max_rel_err"] = o.MaxRel,
        }).ToArray()),
        ["layout_policy"] = LayoutPolicy,
        ["layout_plans_ms"] = new JsonObject(LayoutPlans.Select(p => KeyValuePair.Create(p.Policy, (JsonNode?)(p.Seconds * 1e3)))),
        ["profile_ms"] = ProfileMs is null ? null : new JsonObject(ProfileMs.OrderByDescending(p => p.Value).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        ["steps"] = Steps is null || !withSteps ? null : new JsonArray(Steps.Select(s => (JsonNode)new JsonObject
        {
            ["node"] = s.Label.Node,
            ["output"] = s.Label.Output,
            ["kind"] = s.Label.Kind,
            ["ms"] = s.InSequenceSeconds * 1e3,
            ["warm_ms"] = s.WarmSeconds * 1e3,
            ["tuned_alone_ms"] = s.Label.TunedSeconds * 1e3,
        }).ToArray()),
        ["ort_steps"] = OrtSteps is null || !withSteps ? null : new JsonArray(OrtSteps.Select(s => (JsonNode)new JsonObject
        {
            ["node"] = s.Node,
            ["op"] = s.OpType,
            ["ms"] = s.Seconds * 1e3,
        }).ToArray()),
    };
}
