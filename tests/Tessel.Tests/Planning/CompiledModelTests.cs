using Tessel.Graph.Onnx;
using Tessel.Graph.Zoo;
using Tessel.Measure;
using Tessel.OnnxRuntime;
using Tessel.Records;
using Tessel.Runtime;
using Tessel.Tasks;
using Tessel.Templates.Conv2d;
using Tessel.Templates.Conv2dNchwc;
using Tessel.Templates.DepthwiseNchwc;
using Tessel.Templates.Winograd;
using Tessel.Tests.Support;
using Tessel.Workloads;
using Tessel.Planning;

namespace Tessel.Tests.Planning;

public class CompiledModelTests
{
    private static float[] Input(int[] shape)
    {
        var r = new Random(3);
        return Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => r.NextSingle() * 2 - 1).ToArray();
    }

    /// <summary>Each model exercises other ops: residual adds and folded BN (ResNet), depthwise convs and fused
    /// ReLU6 (MobileNetV2), concat and ceil-mode pools (SqueezeNet), unfolded pre-activation BN (DenseNet).</summary>
    [Theory]
    [InlineData("resnet18_v1")]
    [InlineData("mobilenetv2_1.0")]
    [InlineData("squeezenet1.1")]
    [InlineData("densenet121")]
    public void A_zoo_model_with_default_kernels_matches_onnx_runtime(string name)
    {
        var graph = ModelZoo.Build(name);
        var shape = graph.Inputs.Single().Value;
        var data = Input(shape);
        var model = CompiledModel.Compile(graph, history: null, threads: 2);
        var ours = model.Run(data)[0];
        using var ort = new OrtReference(OnnxExport.ToBytes(graph), threads: 2);
        var expected = ort.Run(data, shape);
        Assert.Equal(expected.Length, ours.Length);
        var maxRef = expected.Max(Math.Abs);
        var err = expected.Zip(ours, (e, o) => Math.Abs((double)e - o)).Max();
        Assert.True(err / maxRef < 1e-3, $"{name}: max relative error {err / maxRef}");
        Assert.Equal(TaskExtraction.Extract(graph, Target.Host).Where(t => !t.Alternative).Sum(t => t.Count), model.KernelsDefault);
    }

    [Fact]
    public void Kernels_take_the_history_best_config_of_their_workload()
    {
        var graph = ModelZoo.Build("resnet18_v1");
        var tasks = TaskExtraction.Extract(graph, Target.Host).Where(t => !t.Alternative).ToList();
        var task = tasks.First(t => t.Count > 1).Task;
        var config = Conv2dNchwTemplate.Config(task.Space, 8, 7, 3, 5, [0, 1, 2], "ow", false, "oc");
        var record = LoggedRecords.Logged(task, config, 1e-3);
        var model = CompiledModel.Compile(graph, new HistoryBest([record]), threads: 1);
        Assert.Equal(task.Count, model.KernelsFromLog);
        Assert.Equal(tasks.Sum(t => t.Count) - task.Count, model.KernelsDefault);

        var plain = CompiledModel.Compile(graph, history: null, threads: 1);
        var data = Input(graph.Inputs.Single().Value);
        var a = model.Run(data)[0];
        var b = plain.Run(data)[0];
        Assert.True(a.Zip(b, (x, y) => Math.Abs(x - y)).Max() < 1e-3 * b.Max(Math.Abs), "a tuned config must compute the same model");
    }

    [Theory]
    [InlineData(1e-3, 2e-3, true)]
    [InlineData(3e-3, 2e-3, false)]
    public void A_node_runs_the_implementation_its_logs_found_faster(double winogradCost, double directCost, bool winogradWins)
    {
        var graph = ModelZoo.Build("resnet18_v1");
        var tasks = TaskExtraction.Extract(graph, Target.Host).ToList();
        var winograd = tasks.First(t => t.Task.Name == Conv2dWinogradTemplate.Name);
        var direct = tasks.First(t => !t.Alternative && t.Task.Workload.Args.ToJsonString() == winograd.Task.Workload.Args.ToJsonString());
        var history = new HistoryBest([
            LoggedRecords.Logged(winograd.Task, Conv2dWinogradTemplate.Config(winograd.Task.Space, 2, 16, 5, "256"), winogradCost),
            LoggedRecords.Logged(direct.Task, direct.Task.DefaultConfig, directCost),
        ]);
        var model = CompiledModel.Compile(graph, history, threads: 1);
        Assert.Equal(direct.Count, model.KernelsFromLog);
        var data = Input(graph.Inputs.Single().Value);
        var steps = model.ProfileSteps(data, runs: 1);
        Assert.Equal(winogradWins, StepProfile.ByKind(steps).ContainsKey(Conv2dWinogradTemplate.Name));
        // The logged node's step carries the seconds its winning config measured alone; default kernels carry none.
        var logged = steps.Where(s => s.Label.TunedSeconds is not null).ToList();
        Assert.Equal(direct.Count, logged.Count);
        Assert.All(logged, s => Assert.Equal(Math.Min(winogradCost, directCost), s.Label.TunedSeconds));
        Assert.All(logged, s => Assert.True(s.InSequenceSeconds > 0 && s.WarmSeconds > 0, $"{s.Label.Node} was not timed"));

        var plain = CompiledModel.Compile(graph, history: null, threads: 1);
        var a = model.Run(data)[0];
        var b = plain.Run(data)[0];
        Assert.True(a.Zip(b, (x, y) => Math.Abs(x - y)).Max() < 1e-3 * b.Max(Math.Abs), "either implementation must compute the same model");
    }

    /// <summary>Every conv of ResNet-18 blocked (the logs say so): the stem reads the image in NCHW, the blocked
    /// tensors flow through convs, the max pool (pooled blocked) and residual adds, and the one conversion sits where
    /// a plain op meets a blocked tensor: before the global pool. With blocks that differ between
    /// neighbours (8, 16 and 32 channels), each disagreement adds a re-blocking, and the model still computes
    /// the same.</summary>
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void Blocked_kernels_convert_layouts_only_where_neighbours_disagree(bool mixedBlocks, int threads)
    {
        var graph = ModelZoo.Build("resnet18_v1");
        var tasks = TaskExtraction.Extract(graph, Target.Host).Where(t => t.Task.Name == Conv2dNchwcTemplate.Name).ToList();
        var records = tasks.Select((t, i) =>
        {
            var config = t.Task.DefaultConfig;
            if (mixedBlocks)
            {
                var values = config.Values.ToDictionary(v => v.Knob.Name, v => v.Value);
                values["block_vectors"] = new Tessel.Spaces.ChoiceValue((i % 2 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                values[Tessel.Templates.VectorWidth.KnobName] = new Tessel.Spaces.ChoiceValue(i % 3 == 0 ? "256" : config.Choice(Tessel.Templates.VectorWidth.KnobName));
                config = t.Task.Space.FromValues(values)!;
            }
            return LoggedRecords.Logged(t.Task, config, 1e-6);
        }).ToList();
        var model = CompiledModel.Compile(graph, new HistoryBest(records), threads);
        var data = Input(graph.Inputs.Single().Value);
        var steps = model.ProfileSteps(data, runs: 1);
        Assert.Equal(graph.Nodes.Count(n => n.OpType == "Conv"), steps.Count(s => s.Label.Kind == Conv2dNchwcTemplate.Name));
        var conversions = steps.Where(s => s.Label.Kind.StartsWith("Layout ", StringComparison.Ordinal)).ToList();
        if (!mixedBlocks)
            Assert.Equal(["global pool"], conversions.Select(c => ConsumerKind(graph, c.Label.Output, c.Label.Kind)));
        else
            Assert.True(conversions.Count > 1, $"{conversions.Count} conversions");
        Assert.Single(steps, s => s.Label.Kind.StartsWith("MaxPool nchw", StringComparison.Ordinal));

        AssertComputesAsPlain(graph, model, data);
    }

    /// <summary>MobileNetV2 with every conv and depthwise conv logged faster blocked than plain (1.0 against 1.1 ms):
    /// the inverted residual blocks stay blocked from the stem to the last 1x1 conv, depthwise convs included, and
    /// conversions sit only around the global pool and the classifier on its 1x1 plane; the model computes the same.</summary>
    [Fact]
    public void Mobilenetv2_stays_blocked_through_its_depthwise_convs()
    {
        var graph = ModelZoo.Build("mobilenetv2_1.0");
        // One policy's plan (which plan runs fastest here is the next test's subject).
        var model = CompiledModel.Build(graph, DefaultsLogged(graph, blockedSeconds: 1.0e-3, plainSeconds: 1.1e-3), 1, Target.Host, new LayoutPolicy(16));
        var data = Input(graph.Inputs.Single().Value);
        var steps = model.ProfileSteps(data, runs: 1);
        Assert.Equal(graph.Nodes.Count(n => n.OpType == "Conv" && graph.Shape(n.Inputs[1])[1] > 1), steps.Count(s => s.Label.Kind == Conv2dNchwcTemplate.Name));
        Assert.Equal(17, steps.Count(s => s.Label.Kind == DepthwiseNchwcTemplate.Name));
        var conversions = steps.Where(s => s.Label.Kind.StartsWith("Layout ", StringComparison.Ordinal)).ToList();
        Assert.InRange(conversions.Count, 1, 3);

        AssertComputesAsPlain(graph, model, data);
    }

    /// <summary>With plain and blocked kernels both logged, blocked 1% faster (10 us, less than converting any of
    /// ResNet-18's activations), the layout policies choose different kernels (all blocked under nchw16c, all plain
    /// under nchw): each distinct plan is compiled and timed, and the model kept ran fastest.</summary>
    [Fact]
    public void Where_layout_policies_disagree_the_fastest_plan_is_kept()
    {
        var graph = ModelZoo.Build("resnet18_v1");
        var model = CompiledModel.Compile(graph, DefaultsLogged(graph, blockedSeconds: 0.99e-3, plainSeconds: 1.0e-3), threads: 1);
        Assert.True(model.PlansTimed.Count >= 2, string.Join(", ", model.PlansTimed));
        Assert.Contains(model.PlansTimed, p => p.Policy == "nchw");
        Assert.Equal(model.PlansTimed.MinBy(p => p.Seconds).Policy, model.Policy);
        Assert.All(model.PlansTimed, p => Assert.InRange(p.Seconds, 1e-5, 10));
    }

    /// <summary>The same log, for a caller that times the plans itself (the selective comparison): one model per distinct
    /// plan, each under its own policy, all computing what the plain model does.</summary>
    [Fact]
    public void Each_distinct_plan_compiles_to_a_model_of_its_own_that_computes_the_same()
    {
        var graph = ModelZoo.Build("resnet18_v1");
        var plans = CompiledModel.CompileEachPlan(graph, DefaultsLogged(graph, blockedSeconds: 0.99e-3, plainSeconds: 1.0e-3), threads: 1);
        Assert.True(plans.Count >= 2, string.Join(", ", plans.Select(p => p.Policy)));
        Assert.Equal(plans.Count, plans.Select(p => p.Policy).Distinct().Count());
        Assert.Contains(plans, p => p.Policy == "nchw");
        Assert.All(plans, p => Assert.Empty(p.PlansTimed));
        var data = CompiledModel.SampleInput(graph);
        foreach (var plan in plans) AssertComputesAsPlain(graph, plan, data);
        Assert.Single(CompiledModel.CompileEachPlan(graph, history: null, threads: 1));
    }

    /// <summary>A zero-trial start's configs were measured on the shipping host, each alone: the plan without them (the
    /// templates' defaults, as with no shipped records) is compiled beside the start's plans, to be timed with them.</summary>
    [Fact]
    public void A_zero_trial_start_is_timed_against_the_plan_of_defaults()
    {
        var graph = ModelZoo.Build("squeezenet1.1");
        var avx512 = new Target("tessel-cpu -isa=avx512");
        var start = new Tessel.Selective.ZeroTrialStart(Tessel.Records.Shipped.ShippedCatalog.Embedded, () => []);
        var plans = CompiledModel.CompileEachPlan(graph, history: null, threads: 1, avx512, start);
        var defaults = Assert.Single(plans, p => p.Policy.EndsWith(CompiledModel.NoStart, StringComparison.Ordinal));
        Assert.Equal((0, 0, 0), (defaults.KernelsFromLog, defaults.KernelsShipped, defaults.KernelsSimilar));
        Assert.True(defaults.KernelsDefault > 0);
        Assert.All(plans.Where(p => p != defaults), p => Assert.True(p.KernelsShipped > 0, p.Policy));
        // No start, no such plan: nothing to weigh the defaults against.
        Assert.Single(CompiledModel.CompileEachPlan(graph, history: null, threads: 1, avx512, start: null));
    }

    /// <summary>Every task's default config logged (Winograd's aside), blocked ones at one cost and plain ones at another.</summary>
    private static HistoryBest DefaultsLogged(Tessel.Graph.ModelGraph graph, double blockedSeconds, double plainSeconds) =>
        new(TaskExtraction.Extract(graph, Target.Host)
            .Where(t => t.Task.Name != Conv2dWinogradTemplate.Name)
            .Select(t => LoggedRecords.Logged(t.Task, t.Task.DefaultConfig, t.Task.Template.BlocksChannels ? blockedSeconds : plainSeconds)));

    private static void AssertComputesAsPlain(Tessel.Graph.ModelGraph graph, CompiledModel model, float[] data)
    {
        var plain = CompiledModel.Compile(graph, history: null, threads: 1);
        var a = model.Run(data)[0];
        var b = plain.Run(data)[0];
        Assert.True(a.Zip(b, (x, y) => Math.Abs(x - y)).Max() < 1e-3 * b.Max(Math.Abs), "blocked kernels must compute the same model");
    }

    /// <summary>Which pool a conversion serves: the max pool reads the stem's blocked output as NCHW, and its own
    /// output is converted for the first blocked conv; the global pool reads the last block's sum.</summary>
    private static string ConsumerKind(Tessel.Graph.ModelGraph graph, string tensor, string kind)
    {
        var producer = graph.Nodes.First(n => n.Outputs.Contains(tensor));
        var readers = graph.Nodes.Where(n => n.Inputs.Contains(tensor)).Select(n => n.OpType).ToList();
        if (producer.OpType == "MaxPool" && kind.StartsWith("Layout nchw->", StringComparison.Ordinal)) return "pool";
        if (readers.Contains("MaxPool")) return "pool";
        return readers.Contains("GlobalAveragePool") ? "global pool" : string.Join(",", readers);
    }
}
