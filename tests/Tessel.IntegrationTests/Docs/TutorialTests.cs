using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Tessel.IntegrationTests.Docs;

/// <summary>docs/TUTORIAL.md as a newcomer walks it: every shell block, in order, run by <c>bash -euo pipefail</c> in
/// the repository root with a small budget (<see cref="Tutorial.TrialsVariable"/>), so that the tutorial cannot rot.
/// The blocks' <c>./tessel</c> runs the Tessel.Cli.dll built beside these tests (TESSEL_CLI_DLL): the tree is not built a
/// second time while the tests run. A failing block does not stop the walk: every block runs and the test names each
/// one that failed, with its exit code and the end of its output.</summary>
/// <remarks>The tutorial writes into <c>walk/</c> in the repository root, which this test deletes before and after.
/// It also packs Tessel.Runtime under the repository's version and runs the sample on it; NuGet would serve a package
/// of that version cached by an earlier pack (another tree's, an older commit's), so the test removes that version
/// from NuGet's global packages folder before and after. Runs alone: it loads both cores for minutes.</remarks>
[Collection(SerialCollection.Name)]
public sealed class TutorialTests : IDisposable
{
    /// <summary>Trials per task: the tutorial's default takes about ten minutes on 2 cores, this about four.</summary>
    private const string Trials = "3";

    private static readonly TimeSpan BlockTimeout = TimeSpan.FromMinutes(4);

    private readonly ITestOutputHelper output;
    private readonly string root = Tutorial.RepositoryRoot();

    public TutorialTests(ITestOutputHelper output)
    {
        this.output = output;
        Clean();
    }

    public void Dispose() => Clean();

    [Fact]
    public void Every_shell_block_of_the_tutorial_runs()
    {
        var blocks = Tutorial.Blocks(File.ReadAllText(Tutorial.Path(root))).Where(b => b.IsShell).ToList();
        Assert.NotEmpty(blocks);
        var failed = new List<string>();
        var walk = Stopwatch.StartNew();
        foreach (var block in blocks)
        {
            var (exitCode, elapsed, stdout, stderr) = Run(block);
            output.WriteLine($"{block}: exit {exitCode?.ToString() ?? "-"} in {elapsed.TotalSeconds:F1} s");
            if (exitCode == 0) continue;
            failed.Add($"{block} {(exitCode is { } code ? $"exited {code}" : $"did not finish in {BlockTimeout.TotalMinutes} minutes")}\n" +
                $"--- stderr, last lines:\n{Tail(stderr)}\n--- stdout, last lines:\n{Tail(stdout)}");
        }
        output.WriteLine($"{blocks.Count} blocks in {walk.Elapsed.TotalSeconds:F0} s");
        Assert.True(failed.Count == 0, $"{failed.Count} of {blocks.Count} blocks of docs/TUTORIAL.md failed:\n\n{string.Join("\n\n", failed)}");
    }

    /// <summary>Runs one block to its end (null exit code: killed at the timeout).</summary>
    private (int? ExitCode, TimeSpan Elapsed, string Stdout, string Stderr) Run(Tutorial.Block block)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-euo", "pipefail", "-c", block.Text }) start.ArgumentList.Add(arg);
        start.Environment[Tutorial.TrialsVariable] = Trials;
        start.Environment["TESSEL_CLI_DLL"] = Path.Combine(AppContext.BaseDirectory, "Tessel.Cli.dll");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // MSBuild nodes kept alive after `dotnet pack` or `dotnet run` would hold the block's output open.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        int? exitCode = null;
        if (process.WaitForExit(BlockTimeout)) exitCode = process.ExitCode;
        else process.Kill(entireProcessTree: true);
        var elapsed = clock.Elapsed;
        Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(30));
        return (exitCode, elapsed, stdout.IsCompletedSuccessfully ? stdout.Result : "", stderr.IsCompletedSuccessfully ? stderr.Result : "");
    }

    private static string Tail(string text, int lines = 25)
    {
        var all = text.TrimEnd().Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    private void Clean()
    {
        var walk = Path.Combine(root, "walk");
        if (Directory.Exists(walk)) Directory.Delete(walk, recursive: true);
        ForgetCachedRuntimePackage();
    }

    /// <summary>Removes the Tessel.Runtime package of the repository's version from NuGet's global packages folder, so
    /// that the sample restores the package the tutorial has just packed.</summary>
    private void ForgetCachedRuntimePackage()
    {
        var props = File.ReadAllText(Path.Combine(root, "Directory.Build.props"));
        var version = Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(version), "Directory.Build.props gives no <Version>");
        var cached = Path.Combine(GlobalPackagesFolder(), "tessel.runtime", version.ToLowerInvariant());
        if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
    }

    private static string GlobalPackagesFolder()
    {
        if (Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured) return configured;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "nuget", "locals", "global-packages", "--list" }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var printed = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        // "global-packages: /root/.nuget/packages/"
        var at = printed.IndexOf("global-packages:", StringComparison.Ordinal);
        return at >= 0 ? printed[(at + "global-packages:".Length)..].Trim() :
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }
}
