using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tessel.Bench;

/// <summary>samples/ImageClassifier published with NativeAOT against a Tessel.Runtime package packed for this run, the
/// artifact's kernels compiled in (docs/DEPLOY.md): a cold start with no JIT at all. Null where it cannot be built here
/// (no ILCompiler package, no clang), and the bench goes on without it.</summary>
internal sealed partial class NativeAot(string work, string feed, string version)
{
    public static NativeAot? PackRuntime(string work, TextWriter progress)
    {
        var feed = Path.Combine(work, "feed");
        var version = $"0.1.0-bench{DateTime.UtcNow:yyyyMMddHHmmss}";
        var (ok, output) = Dotnet("pack", Path.Combine(BenchData.Root, "src", "Tessel.Runtime"), "-c", "Release", "-o", feed, $"-p:Version={version}",
            "--artifacts-path", Path.Combine(work, "pack"), "--nologo");
        if (ok) return new NativeAot(work, feed, version);
        progress.WriteLine($"NativeAOT left out: packing Tessel.Runtime failed: {output}");
        return null;
    }

    /// <summary>The published app for <paramref name="artifact"/>, or null (said on <paramref name="progress"/>).</summary>
    public string? Publish(string artifact, TextWriter progress)
    {
        var output = Path.Combine(work, "aot-" + Path.GetFileName(artifact));
        var compiler = File.Exists("/usr/bin/clang") ? [] : Directory.GetFiles("/usr/bin", "clang-*").Where(f => ClangVersion().IsMatch(f)).Take(1)
            .Select(f => $"-p:CppCompilerAndLinker={Path.GetFileName(f)}").ToArray();
        var (ok, log) = Dotnet(["publish", Path.Combine(BenchData.Root, "samples", "ImageClassifier"), "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true",
            $"-p:Artifact={artifact}", $"-p:TesselRuntimeVersion={version}", $"-p:RestoreAdditionalProjectSources={feed}", .. compiler,
            "--artifacts-path", output + "-build", "-o", output, "--nologo"]);
        if (ok) return Path.Combine(output, "ImageClassifier");
        progress.WriteLine($"NativeAOT left out for {artifact}: {string.Join('\n', log.Split('\n').Where(l => l.Contains("error", StringComparison.Ordinal)).Take(3))}");
        return null;
    }

    /// <summary>One cold start of the published app: what it prints, as the probe's JSON.</summary>
    public static JsonObject Run(string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in command.Skip(1)) start.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var wall = clock.Elapsed.TotalMilliseconds;
        var match = Printed().Match(stdout);
        if (process.ExitCode != 0 || !match.Success) throw new InvalidOperationException($"{command[0]} exited {process.ExitCode}: {stdout} {process.StandardError.ReadToEnd()}");
        double Group(string name) => double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["first_result_ms"] = Group("load") + Group("run"),
            // The whole process, start to exit: its own start included (no JIT runtime to start).
            ["since_process_start_ms"] = wall,
            ["steady_ms"] = double.NaN,
            ["peak_working_set_mb"] = Group("peak"),
        };
    }

    private static (bool Ok, string Output) Dotnet(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode == 0, stdout + stderr.Result);
    }

    [GeneratedRegex(@"loaded in (?<load>[\d.]+) ms, first run (?<run>[\d.]+) ms.*peak working set (?<peak>[\d.]+) MB")]
    private static partial Regex Printed();

    [GeneratedRegex(@"/clang-\d+$")]
    private static partial Regex ClangVersion();
}
