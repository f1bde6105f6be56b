namespace Tessel.Tests.Cli;

/// <summary>Bad input to the command is named, with exit code 2 and no stack trace: run in process, since parsing
/// and the checks before any work need no worker and no second process.</summary>
public sealed class ArgumentErrorTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessel-args-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static async Task AssertNamed(string[] args, params string[] messages)
    {
        var outcome = await InProcessCli.RunAsync(args);
        Assert.True(outcome.ExitCode == 2, $"exit {outcome.ExitCode}: {outcome.Stderr}");
        foreach (var message in messages) Assert.Contains(message, outcome.Stderr);
        Assert.DoesNotContain("   at ", outcome.Stderr);
    }

    [Theory]
    [InlineData("--kernel", "8,8,3", "kernel must have 4")]
    [InlineData("--trials", "-1", "--trials must be >= 0")]
    [InlineData("--tuner", "annealing", "unknown tuner 'annealing'")]
    [InlineData("--padding", "1,2,3", "--padding")]
    [InlineData("--data", "1,8,x,10", "'x'")]
    [InlineData("--stride", "2", "winograd: takes stride 1")]
    public async Task A_bad_tune_op_option_is_named(string option, string value, string message)
    {
        var args = new List<string> { "tune-op", option == "--stride" ? "winograd" : "conv2d", "--data", "1,8,10,10", "--kernel", "8,8,3,3", "--trials", "1",
            "--log", Path.Combine(directory, "t.jsonl") };
        var at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value;
        else { args.Add(option); args.Add(value); }
        await AssertNamed([.. args], message);
        Assert.False(File.Exists(Path.Combine(directory, "t.jsonl")), "nothing is tuned on bad input");
    }

    [Fact]
    public async Task Unknown_options_ops_and_commands_are_errors_and_help_lists_the_options()
    {
        await AssertNamed(["tune-op", "conv2d", "--data", "1,8,10,10", "--kernel", "8,8,3,3", "--bogus"], "--bogus");
        await AssertNamed(["tune-op", "conv3d", "--data", "1,8,10,10", "--kernel", "8,8,3,3"], "conv3d");
        await AssertNamed(["frobnicate"], "frobnicate");
        var help = await InProcessCli.RunAsync("tune-op", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--seed", help.Stdout);
        Assert.Contains("--threads", help.Stdout);
    }

    [Theory]
    [InlineData("top0")]
    [InlineData("150%")]
    [InlineData("abc")]
    public async Task A_bad_depend_mode_or_share_pool_is_named(string mode)
    {
        await AssertNamed(["tune", "zoo:resnet18_v1", "--selective", "--depend-mode", mode], $"'{mode}'");
        await AssertNamed(["tune", "zoo:resnet18_v1", "--selective", "--share-pool", mode], "--share-pool", $"'{mode}'");
    }

    [Fact]
    public async Task Wrong_uses_of_stores_models_and_strategies_name_what_is_wrong()
    {
        var log = Path.Combine(directory, "a.jsonl");
        File.WriteAllText(log, "{}\n");
        await AssertNamed(["tune-op", "dense", "--data", "1,16", "--kernel", "8,16", "--log", log, "--db", Path.Combine(directory, "m.db")],
            "give --log or --db, not both");
        await AssertNamed(["db", "best", "--db", log], "a.jsonl: not a usable tuning database");
        await AssertNamed(["db", "export", "--db", Path.Combine(directory, "none.db"), Path.Combine(directory, "out.jsonl")], "none.db' does not exist");
        await AssertNamed(["tune", "zoo:resnet18_v1", "--skip-tuned", "0"], "--skip-tuned must be >= 1");
        await AssertNamed(["tune", "zoo:resnet18_v1", "--strategy", "greedy"], "'greedy'");
        await AssertNamed(["tasks", "zoo:alexnet"], "alexnet");
        await AssertNamed(["tune-op", "dense", "--data", "1,16", "--kernel", "8,16", "--log", directory], directory, "is a directory");
        await AssertNamed(["tune-op", "dense", "--data", "1,16", "--kernel", "8,16", "--log", Path.Combine(directory, "missing", "t.jsonl")],
            "t.jsonl: cannot be written");
        await AssertNamed(["tune-op", "dense", "--data", "1,16", "--kernel", "8,16", "--db", directory], "is a directory");
    }
}
