using System.Text.Json.Nodes;
using Tessel.Records.Shipped;
using Tessel.Workloads;

namespace Tessel.Tests.Cli;

/// <summary>The commands around shipped records, run in process: <c>run</c> with no log takes every kernel of a shipped
/// model from them (and none with <c>--no-shipped</c>), <c>shipped show</c> says what is shipped and where it was
/// measured, and a damaged file is named.</summary>
public sealed class ShippedCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessel-shipped-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>SqueezeNet 1.1's tuned ops: its 26 convolutions.</summary>
    private const int SqueezeNetKernels = 26;

    private static JsonObject Kernels(InProcessCli.Outcome run)
    {
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = JsonNode.Parse(run.Stdout)!.AsObject();
        var counts = new JsonObject();
        foreach (var key in new[] { "kernels_from_log", "kernels_shipped", "kernels_similar", "kernels_default" }) counts[key] = json[key]!.GetValue<int>();
        return counts;
    }

    [Fact]
    public async Task A_run_with_no_log_takes_every_kernel_of_a_shipped_model_from_the_shipped_records()
    {
        var run = Kernels(await InProcessCli.RunAsync("run", "zoo:squeezenet1.1", "--threads", "1", "--json"));
        // The committed file is measured for AVX-512; elsewhere nothing is shipped for this machine yet, and SqueezeNet's
        // convolutions have no similar workload either.
        var shipped = ShippedCatalog.Embedded.For(Target.Host) is not null;
        var expected = shipped ? new[] { 0, SqueezeNetKernels, 0, 0 } : [0, 0, 0, SqueezeNetKernels];
        Assert.Equal(expected, run.Select(p => p.Value!.GetValue<int>()));
    }

    /// <summary>Whichever plan the timing keeps (the zero-trial start's or the defaults'), the run says what the start
    /// offered: every SqueezeNet conv from the shipped records where a file is committed for this machine.</summary>
    [Fact]
    public async Task A_run_reports_what_the_zero_trial_start_offered_whichever_plan_it_kept()
    {
        var run = await InProcessCli.RunAsync("run", "zoo:squeezenet1.1", "--threads", "1", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var offered = JsonNode.Parse(run.Stdout)!["zero_trial_offered"]!;
        var shipped = ShippedCatalog.Embedded.For(Target.Host) is not null;
        Assert.Equal(shipped ? SqueezeNetKernels : 0, offered["kernels_shipped"]!.GetValue<int>());
        Assert.Equal(0, offered["kernels_similar"]!.GetValue<int>());
    }

    [Fact]
    public async Task With_no_shipped_a_run_with_no_log_runs_every_default()
    {
        var run = Kernels(await InProcessCli.RunAsync("run", "zoo:squeezenet1.1", "--threads", "1", "--json", "--no-shipped"));
        Assert.Equal([0, 0, 0, SqueezeNetKernels], run.Select(p => p.Value!.GetValue<int>()));
    }

    [Fact]
    public async Task Show_lists_each_shipped_file_with_the_host_it_was_measured_on()
    {
        var show = await InProcessCli.RunAsync("shipped", "show", "--json");
        Assert.True(show.ExitCode == 0, show.Stderr);
        var file = Assert.Single(JsonNode.Parse(show.Stdout)!.AsArray(), f => f!["name"]!.GetValue<string>() == "tessel-cpu-isa-avx512.jsonl.gz")!;
        Assert.Equal("tessel-cpu -isa=avx512", file["target"]!.GetValue<string>());
        foreach (var field in new[] { "cpu", "isa", "date", "tessel_version", "tuner" }) Assert.False(string.IsNullOrEmpty(file[field]!.GetValue<string>()), field);
        Assert.True(file["trials_per_task"]!.GetValue<int>() >= 1);
        Assert.True(file["threads"]!.GetValue<int>() >= 1);
        // Small: the whole zoo's is about 80 KiB.
        Assert.True(file["bytes"]!.GetValue<long>() is > 0 and < 256 * 1024);
        Assert.True(file["load_ms"]!.GetValue<double>() > 0);
        var text = await InProcessCli.RunAsync("shipped", "show");
        Assert.Contains("measured on ", text.Stdout);
    }

    [Fact]
    public async Task Show_names_a_damaged_file()
    {
        var path = Path.Combine(directory, "damaged.jsonl.gz");
        File.WriteAllText(path, "not gzip at all");
        var show = await InProcessCli.RunAsync("shipped", "show", "--file", path);
        Assert.Equal(2, show.ExitCode);
        Assert.Contains($"{path}: not a readable gzip file", show.Stderr);
        Assert.DoesNotContain("   at ", show.Stderr);
    }

    [Fact]
    public async Task An_unknown_model_to_generate_for_is_named_before_anything_is_tuned()
    {
        var generate = await InProcessCli.RunAsync("shipped", "generate", "--models", "squeezenet1.1,lenet", "--log", Path.Combine(directory, "g.jsonl"),
            "-o", Path.Combine(directory, "g.jsonl.gz"));
        Assert.Equal(2, generate.ExitCode);
        Assert.Contains("--models: no zoo model named 'lenet'", generate.Stderr);
        Assert.False(File.Exists(Path.Combine(directory, "g.jsonl.gz")));
    }
}
