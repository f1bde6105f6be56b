using Tessel.Records;
using Tessel.Tests.Support;
using System.Text.Json.Nodes;

namespace Tessel.IntegrationTests.Cli;

public sealed class ModelCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessel-model-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Tasks_and_select_print_the_json_shapes_of_the_issue()
    {
        var tasks = CliRunner.Run(directory, "tasks", "zoo:resnet18_v1", "--json");
        Assert.True(tasks.ExitCode == 0, tasks.Stderr);
        var list = JsonNode.Parse(tasks.Stdout)!.AsArray();
        Assert.Equal(12 + 4 + 11, list.Count); // 12 workloads, Winograd for the four 3x3 stride-1 ones, the blocked conv for the 11 convs
        Assert.Equal(["id", "name", "workload", "count", "flops", "space_size"], list[0]!.AsObject().Select(p => p.Key));

        var select = CliRunner.Run(directory, "select", "zoo:resnet18_v1", "--json", "--plot", "psm.png");
        Assert.True(select.ExitCode == 0, select.Stderr);
        var s = JsonNode.Parse(select.Stdout)!;
        Assert.Equal(27, s["psm"]!.AsArray().Count);
        var representatives = s["representatives"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        Assert.All(s["depend"]!.AsObject(), p => Assert.Contains(p.Value!.GetValue<string>(), representatives));
        var png = File.ReadAllBytes(Path.Combine(directory, "psm.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
    }

    [Fact]
    public void Selective_tuning_of_a_model_tunes_representatives_in_full_and_shares_with_the_rest()
    {
        var run = CliRunner.Run(directory, "tune", "zoo:resnet18_v1", "--selective", "--scheme", "rfc", "--trials", "6", "--depend-mode", "top3",
            "--threads", "1", "--min-repeat-ms", "1", "--repeat", "2", "--seed", "1", "--log", "sel.jsonl", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var tasks = JsonNode.Parse(run.Stdout)!["tasks"]!.AsArray();
        foreach (var task in tasks)
        {
            var representative = task!["depend"]!.GetValue<string>() == task["id"]!.GetValue<string>();
            Assert.Equal(representative ? 6 : 3, task["trials"]!.GetValue<int>());
        }
        Assert.Contains("[Sel Task", run.Stderr);
        Assert.Contains("[Other Task", run.Stderr);
        // Every trial is in the log; so are the re-measurements of the bests (of the representatives before sharing, of every task
        // at the end), marked as such.
        var records = RecordReader.Read(Path.Combine(directory, "sel.jsonl"));
        Assert.Equal(tasks.Sum(t => t!["trials"]!.GetValue<int>()), records.Count(r => !r.Remeasured));
        Assert.Contains(records, r => r.Remeasured);
        Assert.Contains("re-measured the best of", run.Stderr + run.Stdout);
    }

    [Fact]
    public void Scheduled_tuning_with_the_model_tuner_spends_the_budget_in_rounds()
    {
        var run = CliRunner.Run(directory, "tune", "zoo:resnet18_v1", "--strategy", "gradient", "--tuner", "model", "--trials", "3",
            "--threads", "1", "--min-repeat-ms", "1", "--repeat", "2", "--seed", "1", "--log", "sched.jsonl", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var tasks = JsonNode.Parse(run.Stdout)!["tasks"]!.AsArray();
        // 27 tasks x 3 trials: one warm-up round of 3 each spends it all.
        Assert.All(tasks, t => Assert.Equal(3, t!["trials"]!.GetValue<int>()));
        Assert.Contains("[Round  27]", run.Stderr);
        Assert.Equal(81, RecordReader.Read(Path.Combine(directory, "sched.jsonl")).Count(r => !r.Remeasured));
    }

    [Fact]
    public void Export_writes_a_zoo_model_that_onnx_runtime_runs_like_tessel()
    {
        var run = CliRunner.Run(directory, "export", "zoo:squeezenet1.1", "-o", "squeezenet.onnx");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var graph = Tessel.Graph.Zoo.ModelZoo.Build("squeezenet1.1");
        var data = Tessel.Planning.CompiledModel.SampleInput(graph);
        using var ort = new Tessel.OnnxRuntime.OrtReference(File.ReadAllBytes(Path.Combine(directory, "squeezenet.onnx")), threads: 1);
        var expected = ort.Run(data, [1, 3, 224, 224]);
        var ours = Tessel.Planning.CompiledModel.Compile(graph, history: null, threads: 1).Run(data)[0];
        Assert.True(expected.Zip(ours, (e, o) => Math.Abs(e - o)).Max() < 1e-3 * expected.Max(Math.Abs));
    }

    [Fact]
    public void Run_verifies_an_onnx_file_with_a_symbolic_input_against_onnx_runtime()
    {
        var model = TestData.Model("ppocr-mobile-v2.0-cls.onnx");
        var run = CliRunner.Run(directory, "run", model, "--shape", "x=1,3,48,192", "--threads", "1", "--verify", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var result = JsonNode.Parse(run.Stdout)!.AsObject();
        Assert.Equal(["latency_ms", "ort_latency_ms", "max_abs_err", "max_rel_err", "kernels_from_log", "kernels_shipped", "kernels_similar", "kernels_default"],
            result.Select(p => p.Key).Take(8));
        Assert.True(result["max_rel_err"]!.GetValue<double>() < 1e-3);
        // No log: each of its 54 kernels runs a shipped, similar or default config.
        Assert.Equal(0, result["kernels_from_log"]!.GetValue<int>());
        Assert.Equal(54, new[] { "kernels_shipped", "kernels_similar", "kernels_default" }.Sum(k => result[k]!.GetValue<int>()));
        // Each output's errors, by the model's output name (this model has one).
        var output = Assert.Single(result["outputs"]!.AsArray())!;
        Assert.False(string.IsNullOrEmpty(output["name"]!.GetValue<string>()));
        Assert.Equal(result["max_rel_err"]!.GetValue<double>(), output["max_rel_err"]!.GetValue<double>());
    }

    [Fact]
    public void Run_profiles_each_step_beside_onnx_runtime_nodes()
    {
        var model = TestData.Model("ppocr-mobile-v2.0-cls.onnx");
        var run = CliRunner.Run(directory, "run", model, "--shape", "x=1,3,48,192", "--threads", "1", "--verify", "--profile", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var result = JsonNode.Parse(run.Stdout)!.AsObject();
        var steps = result["steps"]!.AsArray();
        Assert.Equal(54, steps.Count(s => s!["kind"]!.GetValue<string>().EndsWith(".x86", StringComparison.Ordinal))); // one step per kernel
        Assert.All(steps, s => Assert.True(s!["ms"]!.GetValue<double>() >= 0 && s["warm_ms"]!.GetValue<double>() >= 0));
        var ort = result["ort_steps"]!.AsArray();
        Assert.Contains(ort, n => n!["op"]!.GetValue<string>() == "Conv");
        // The profile sums the steps by kind.
        var convMs = steps.Where(s => s!["kind"]!.GetValue<string>() == "conv2d_nchw.x86").Sum(s => s!["ms"]!.GetValue<double>());
        Assert.Equal(convMs, result["profile_ms"]!["conv2d_nchw.x86"]!.GetValue<double>(), 9);
    }

    /// <summary>The RFC's two columns from real tuning and real runs of a small model (BlazeFace, 58 tasks, two trials
    /// each, the RFC's scheme): each side's latency is the mean over compilations of its fastest plan, each measured on its
    /// own; time used by wall clock and by the sum of trial costs side by side.</summary>
    [Fact]
    public void Compare_tunes_both_logs_and_reports_time_used_and_achieved_perf_from_the_measured_latencies()
    {
        var model = TestData.Model("blazeface-front-128.onnx");
        var run = CliRunner.Run(directory, "compare", model, "--trials", "2", "--threads", "1", "--min-repeat-ms", "1", "--repeat", "2",
            "--seed", "1", "--scheme", "rfc", "--depend-mode", "top1", "--full-log", "full.jsonl", "--selective-log", "sel.jsonl", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var result = JsonNode.Parse(run.Stdout)!;
        Assert.Contains("[Full] [Task", run.Stderr);
        Assert.Contains("[Sel Task", run.Stderr);
        double Side(string side, string field) => result[side]![field]!.GetValue<double>();
        foreach (var (side, log) in new[] { ("full", "full.jsonl"), ("selective", "sel.jsonl") })
        {
            Assert.Equal(RecordReader.Read(Path.Combine(directory, log)).Count(r => !r.Remeasured), result[side]!["trials"]!.GetValue<int>());
            // Tuning time is what the log's trials cost (build, load, run), summed: not a figure of its own.
            var trialCosts = RecordReader.Read(Path.Combine(directory, log)).Sum(r => r.Result.AllCost);
            Assert.True(trialCosts > 0);
            Assert.Equal(trialCosts, Side(side, "trial_cost_s"), 9);
            Assert.InRange(Side(side, "wall_s"), 0.1, 600);
            var compilations = result[side]!["latency_ms_each_compilation"]!.AsArray().Select(ms => ms!.GetValue<double>()).ToList();
            Assert.Equal(4, compilations.Count);
            Assert.All(compilations, ms => Assert.InRange(ms, 0.01, 1000));
            Assert.Equal(compilations.Average(), Side(side, "latency_ms"), 9);
        }
        Assert.True(Side("selective", "trials") < Side("full", "trials"));
        Assert.Equal(Side("selective", "wall_s") / Side("full", "wall_s"), result["time_used"]!.GetValue<double>(), 9);
        Assert.Equal(Side("selective", "trial_cost_s") / Side("full", "trial_cost_s"), result["time_used_trial_costs"]!.GetValue<double>(), 9);
        Assert.Equal("selective, full", result["order"]!.GetValue<string>()); // odd seeds tune the selective side first
        Assert.Equal(Side("full", "latency_ms") / Side("selective", "latency_ms"), result["achieved_perf"]!.GetValue<double>(), 9);
    }
}
