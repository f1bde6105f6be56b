using System.CommandLine;
using Tessel.Cli.Commands;
using Tessel.Selective;
using Tessel.Tuning;

namespace Tessel.Tests.Cli;

/// <summary>What <c>tune --selective</c> runs with no other flag (the documented best scheme), what <c>--scheme rfc</c> and
/// explicit flags change, and how <c>--time-budget</c> reads a duration.</summary>
public sealed class SchemeAndBudgetOptionTests
{
    private static (double Threshold, SelectiveTuningOptions Sharing) Parse(string line)
    {
        var (selection, sharing) = (new SelectionOptions(), new SharingOptions());
        var command = new Command("tune");
        selection.AddTo(command);
        sharing.AddTo(command);
        var parsed = command.Parse(line);
        Assert.Empty(parsed.Errors);
        return (selection.Threshold(parsed), sharing.Parse(parsed, selection.SchemeOf(parsed)));
    }

    [Fact]
    public void No_flag_gives_the_tessel_scheme_and_scheme_rfc_gives_the_rfcs_exact_settings()
    {
        var (threshold, sharing) = Parse("");
        Assert.Same(SelectiveScheme.Tessel, SelectiveScheme.Default);
        Assert.Equal(0.00001, threshold);
        Assert.Equal("top2", sharing.DependMode.Text);
        Assert.Equal("100%", sharing.SharePool?.Text);
        Assert.Equal(3, sharing.Refine);

        (threshold, sharing) = Parse("--scheme rfc");
        Assert.Equal(0.01, threshold);
        Assert.Equal("top10", sharing.DependMode.Text);
        Assert.Null(sharing.SharePool);
        Assert.Equal(0, sharing.Refine);

        // An explicit flag overrides its one setting of the scheme.
        (threshold, sharing) = Parse("--scheme rfc --refine 2 --min-similarity 0.001");
        Assert.Equal((0.001, 2, "top10"), (threshold, sharing.Refine, sharing.DependMode.Text));
    }

    /// <summary>The docs say which scheme is the default with its flags spelled out: the same flags the code runs.</summary>
    [Fact]
    public void The_default_scheme_is_the_one_the_readme_and_the_selective_docs_name()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Tessel.slnx"))) root = root.Parent;
        Assert.NotNull(root);
        Assert.Equal("--min-similarity 0.00001 --depend-mode top2 --share-pool 100% --refine 3", SelectiveScheme.Default.Flags);
        foreach (var doc in new[] { "README.md", Path.Combine("docs", "SELECTIVE.md") })
        {
            var text = File.ReadAllText(Path.Combine(root.FullName, doc));
            Assert.Contains($"default scheme (`--scheme {SelectiveScheme.Default.Name}`): `{SelectiveScheme.Default.Flags}`", text);
            Assert.Contains($"`--scheme {SelectiveScheme.Rfc.Name}`: `{SelectiveScheme.Rfc.Flags}`", text);
        }
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1h", 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("2.5m", 150)]
    public void A_time_budget_reads_seconds_minutes_and_hours(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TimeBudgetOption.Parse(text));

    [Theory]
    [InlineData("0s", "must be a positive duration")]
    [InlineData("-5m", "must be a positive duration")]
    [InlineData("abc", "'abc' is not a duration")]
    [InlineData("10", "'10' is not a duration")]
    public async Task A_bad_time_budget_is_named_before_anything_is_tuned(string text, string message)
    {
        var log = Path.Combine(Path.GetTempPath(), $"tessel-budget-arg-{Guid.NewGuid():N}.jsonl");
        var outcome = await InProcessCli.RunAsync("tune", "zoo:squeezenet1.1", "--selective", "--time-budget", text, "--log", log);
        Assert.True(outcome.ExitCode == 2, $"exit {outcome.ExitCode}: {outcome.Stderr}");
        Assert.Contains(message, outcome.Stderr);
        Assert.Contains("--time-budget", outcome.Stderr);
        Assert.False(File.Exists(log), "nothing is tuned on bad input");
    }
}
