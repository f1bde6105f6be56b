namespace Tessel.Tests.Cli;

/// <summary><c>run</c> without <c>--json</c> speaks to a person: the latency, where the kernels came from, and a
/// warning when the log given holds nothing for the model (every kernel then runs its default).</summary>
public sealed class RunSummaryTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessel-run-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_run_with_a_log_of_other_workloads_and_no_shipped_records_says_every_kernel_ran_its_default()
    {
        var log = Path.Combine(directory, "other.jsonl");
        File.WriteAllText(log, "");
        var run = await InProcessCli.RunAsync("run", "zoo:squeezenet1.1", "--threads", "1", "--log", log, "--no-shipped");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("holds no record for this model's workloads", run.Stderr);
        Assert.Matches(@"latency \d+\.\d\d ms", run.Stdout);
        Assert.Matches(@"kernels: 0 from the log, 0 shipped, 0 from similar workloads, [1-9]\d* default", run.Stdout);
        Assert.DoesNotContain("{", run.Stdout);
    }
}
