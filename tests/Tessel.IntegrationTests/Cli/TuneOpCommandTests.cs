using System.Text.Json.Nodes;

namespace Tessel.IntegrationTests.Cli;

[Collection(SerialCollection.Name)]
public sealed class TuneOpCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessel-cli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static readonly string[] SmallConv =
        ["tune-op", "conv2d", "--data", "1,8,10,10", "--kernel", "8,8,3,3", "--stride", "1", "--padding", "1",
         "--min-repeat-ms", "1", "--threads", "1", "--seed", "3", "--log", "out.jsonl", "--json", "--no-alternatives", "--remeasure", "0"];

    [Fact]
    public void Tune_op_logs_every_trial_and_resumes_with_a_larger_budget()
    {
        var first = CliRunner.Run(directory, [.. SmallConv, "--trials", "8"]);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var summary = JsonNode.Parse(first.Stdout)!;
        Assert.Equal(8, summary["trials"]!.GetValue<int>());
        Assert.True(summary["best_gflops"]!.GetValue<double>() > 0);
        Assert.Equal(8, File.ReadAllLines(Path.Combine(directory, "out.jsonl")).Length);

        var second = CliRunner.Run(directory, [.. SmallConv, "--trials", "12"]);
        Assert.True(second.ExitCode == 0, second.Stderr);
        var resumed = JsonNode.Parse(second.Stdout)!;
        Assert.Equal(4, resumed["measured"]!.GetValue<int>());
        Assert.Equal(12, resumed["trials"]!.GetValue<int>());
        var indices = File.ReadAllLines(Path.Combine(directory, "out.jsonl"))
            .Select(l => JsonNode.Parse(l)!["config"]!["index"]!.GetValue<long>()).ToList();
        Assert.Equal(12, indices.Distinct().Count());

        var best = CliRunner.Run(directory, "best", "out.jsonl", "--json");
        Assert.True(best.ExitCode == 0, best.Stderr);
        var entry = Assert.Single(JsonNode.Parse(best.Stdout)!.AsArray())!;
        Assert.Equal("conv2d_nchw.x86", entry["task"]!.GetValue<string>());
        Assert.Equal(12, entry["trials"]!.GetValue<int>());
        Assert.True(entry["gflops"]!.GetValue<double>() > 0);
        // The best config's spread over its repeats: min <= median <= max, the mean inside.
        var (min, median, max, mean) = (entry["min_ms"]!.GetValue<double>(), entry["median_ms"]!.GetValue<double>(), entry["max_ms"]!.GetValue<double>(), entry["mean_ms"]!.GetValue<double>());
        Assert.True(min > 0 && min <= median && median <= max && mean >= min && mean <= max, $"{min} {median} {max} {mean}");
        Assert.NotNull(entry["config"]!["entity"]);

        // --source writes the best config's kernel: the C# that was measured, and it compiles again.
        var sources = CliRunner.Run(directory, "best", "out.jsonl", "--source", "kernels");
        Assert.True(sources.ExitCode == 0, sources.Stderr);
        var file = Assert.Single(Directory.GetFiles(Path.Combine(directory, "kernels")));
        Assert.Equal("conv2d_nchw_1.cs", Path.GetFileName(file));
        var batch = Tessel.Compilation.RoslynCompiler.Compile([new Tessel.Compilation.KernelSource("conv2d_nchw_1", File.ReadAllText(file))]);
        Assert.True(batch.Compiled("conv2d_nchw_1"), string.Join("\n", batch.Errors.Values));
    }

    [Fact]
    public void Best_source_skips_a_config_that_no_longer_fits_the_space_with_a_warning()
    {
        Assert.Equal(0, CliRunner.Run(directory, [.. SmallConv, "--trials", "1"]).ExitCode);
        // A record of another version of the template: its entity lacks a knob that has no value for older records
        // (vec_bits has one: a record without it reads as 256 bits).
        var record = JsonNode.Parse(File.ReadAllLines(Path.Combine(directory, "out.jsonl"))[0])!;
        var entity = record["config"]!["entity"]!.AsArray();
        entity.Remove(entity.Single(k => k![0]!.GetValue<string>() == "tile_oh"));
        File.WriteAllText(Path.Combine(directory, "old.jsonl"), record.ToJsonString() + "\n");

        var run = CliRunner.Run(directory, "best", "old.jsonl", "--source", "old-kernels");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("does not fit the template's space", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.Empty(Directory.GetFiles(Path.Combine(directory, "old-kernels")));
    }

    [Fact]
    public void A_3x3_stride_1_conv_is_tuned_as_direct_winograd_and_blocked_and_the_fastest_is_the_result()
    {
        var run = CliRunner.Run(directory, [.. SmallConv.Where(a => a != "--no-alternatives"), "--trials", "3"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = JsonNode.Parse(run.Stdout)!;
        var implementations = json["implementations"]!.AsArray();
        Assert.Equal(["conv2d_nchw.x86", "conv2d_nchw_winograd.x86", "conv2d_nchwc.x86"], implementations.Select(i => i!["task"]!.GetValue<string>()));
        Assert.Equal(implementations.Max(i => i!["best_gflops"]!.GetValue<double>()), json["best_gflops"]!.GetValue<double>());
        Assert.Equal(implementations.MaxBy(i => i!["best_gflops"]!.GetValue<double>())!["task"]!.GetValue<string>(), json["task"]!.GetValue<string>());
        var tasks = File.ReadAllLines(Path.Combine(directory, "out.jsonl")).Select(l => JsonNode.Parse(l)!["input"]![1]!.GetValue<string>()).ToList();
        Assert.Equal(3, tasks.Count(t => t == "conv2d_nchw.x86"));
        Assert.Equal(3, tasks.Count(t => t == "conv2d_nchw_winograd.x86"));
        Assert.Equal(3, tasks.Count(t => t == "conv2d_nchwc.x86"));
    }

    [Fact]
    public void Compare_ort_reports_onnx_runtime_the_fma_peak_and_the_read_bandwidth_at_the_tuned_thread_count()
    {
        var run = CliRunner.Run(directory, [.. SmallConv, "--trials", "4", "--compare-ort"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = JsonNode.Parse(run.Stdout)!;
        var best = json["best_gflops"]!.GetValue<double>();
        var ort = json["ort_gflops"]!.GetValue<double>();
        var peak = json["peak_gflops"]!.GetValue<double>();
        Assert.Equal(1, json["threads"]!.GetValue<int>());
        Assert.True(ort > 0 && best > 0, $"best {best}, ort {ort}");
        // Neither a tiny tuned conv nor ORT's can beat the FMA peak of one thread (10% for timing noise).
        Assert.InRange(best, 0, peak * 1.1);
        Assert.InRange(ort, 0, peak * 1.1);
        Assert.Equal(best / ort, json["best_over_ort"]!.GetValue<double>(), 6);
        // The weight's bytes over the best call's time, against the read bandwidth of 128 MiB and of an array of the weight's size.
        var bytes = json["weight_bytes"]!.GetValue<long>();
        Assert.Equal(8 * 8 * 3 * 3 * sizeof(float), bytes);
        var achieved = json["achieved_gbs"]!.GetValue<double>();
        Assert.Equal(bytes / (json["best_ms"]!.GetValue<double>() / 1e3) / 1e9, achieved, 6);
        Assert.Equal(100 * achieved / json["bandwidth_gbs"]!.GetValue<double>(), json["percent_of_bandwidth"]!.GetValue<double>(), 6);
        Assert.Equal(100 * achieved / json["cache_bandwidth_gbs"]!.GetValue<double>(), json["percent_of_cache_bandwidth"]!.GetValue<double>(), 6);
        Assert.True(json["ort_achieved_gbs"]!.GetValue<double>() > 0);
    }
}
