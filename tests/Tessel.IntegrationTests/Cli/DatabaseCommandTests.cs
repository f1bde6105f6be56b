using System.Text.Json.Nodes;

namespace Tessel.IntegrationTests.Cli;

/// <summary>The tuning database from the command line: a model tuned into it, a second model that skips the
/// workloads already tuned and shares schedules with the rest, import, export and best.</summary>
public sealed class DatabaseCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessel-dbcli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static readonly string[] Quick = ["--threads", "1", "--min-repeat-ms", "1", "--repeat", "2", "--seed", "1", "--json", "--remeasure", "0"];

    [Fact]
    public void A_second_model_reuses_the_first_models_records_and_the_database_round_trips_through_logs()
    {
        var first = CliRunner.Run(directory, ["tune", "zoo:resnet18_v1", "--trials", "2", "--db", "m.db", .. Quick]);
        Assert.True(first.ExitCode == 0, first.Stderr);

        var second = CliRunner.Run(directory, ["tune", "zoo:resnet50_v1", "--trials", "2", "--db", "m.db", "--skip-tuned", "2", "--share-tuned",
            "--scheme", "rfc", "--depend-mode", "top1", .. Quick]);
        Assert.True(second.ExitCode == 0, second.Stderr);
        var tasks = JsonNode.Parse(second.Stdout)!["tasks"]!.AsArray();
        var skipped = tasks.Where(t => t!["skipped"]!.GetValue<bool>()).ToList();
        var shared = tasks.Where(t => t!["depend"]!.GetValue<string>().StartsWith("tuned ", StringComparison.Ordinal)).ToList();
        // ResNet-50's 7x7 stem and its 3x3 convs (direct, blocked and Winograd) are ResNet-18's workloads; every other task
        // has a tuned workload of its template to share from, so nothing is tuned in full.
        Assert.Equal(14, skipped.Count);
        Assert.Equal(tasks.Count - skipped.Count, shared.Count);
        Assert.All(skipped, t => Assert.Equal(0, t!["measured"]!.GetValue<int>()));
        Assert.All(shared, t => Assert.Equal(1, t!["measured"]!.GetValue<int>()));

        var best = CliRunner.Run(directory, "db", "best", "--db", "m.db", "--json");
        Assert.True(best.ExitCode == 0, best.Stderr);
        Assert.Equal(27 + shared.Count, JsonNode.Parse(best.Stdout)!.AsArray().Count); // ResNet-18's 27 tasks, then the shared ones

        var export = CliRunner.Run(directory, "db", "export", "--db", "m.db", "--workload", "dense.x86", "dense.jsonl");
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(directory, "dense.jsonl")).Length); // 2 trials of ResNet-18's, 1 shared with ResNet-50's
        var import = CliRunner.Run(directory, "db", "import", "dense.jsonl", "--db", "copy.db");
        Assert.Contains("3 records added, 0 already", import.Stderr);
        import = CliRunner.Run(directory, "db", "import", "dense.jsonl", "--db", "copy.db");
        Assert.Contains("0 records added, 3 already", import.Stderr);
    }
}
