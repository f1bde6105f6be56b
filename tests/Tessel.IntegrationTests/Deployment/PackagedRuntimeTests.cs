using System.Diagnostics;
using System.Runtime.InteropServices;
using Tessel.Graph.Onnx;
using Tessel.OnnxRuntime;
using Tessel.Planning;
using Tessel.Tests.Support;

namespace Tessel.IntegrationTests.Deployment;

/// <summary>Deployment as a user meets it: both packages packed, the <c>tessel</c> tool installed from the folder feed
/// into a tool path and used to build an artifact, the sample app built against the Tessel.Runtime package (not the
/// project) and run on it; its output agrees with ONNX Runtime's on the same input.</summary>
[Collection(SerialCollection.Name)]
public sealed class PackagedRuntimeTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessel-packages-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void The_sample_app_runs_an_artifact_built_by_the_installed_tool_as_ONNX_Runtime_does()
    {
        var root = RepositoryRoot();
        // A version of this run's own: NuGet caches a package by id and version, and must not serve an older build.
        var version = $"0.1.0-test{DateTime.UtcNow:yyyyMMddHHmmss}";
        var feed = Path.Combine(directory, "feed");
        var build = Path.Combine(directory, "build");
        foreach (var project in new[] { "src/Tessel.Runtime", "src/Tessel.Cli" })
            Dotnet(root, "pack", Path.Combine(root, project), "-c", "Release", "-o", feed, $"-p:Version={version}", "--artifacts-path", build, "--nologo");
        Assert.True(File.Exists(Path.Combine(feed, $"Tessel.Runtime.{version}.nupkg")));

        var tools = Path.Combine(directory, "tools");
        Dotnet(directory, "tool", "install", "Tessel.Tool", "--tool-path", tools, "--add-source", feed, "--version", version);
        var model = TestData.Model("blazeface-front-128.onnx");
        var artifact = Path.Combine(directory, "blazeface.tessel");
        Run(Path.Combine(tools, "tessel"), directory, "build", model, "--threads", "1", "-o", artifact);

        var graph = OnnxImport.Load(model);
        var data = CompiledModel.SampleInput(graph);
        var input = Path.Combine(directory, "input.f32");
        var output = Path.Combine(directory, "output.f32");
        File.WriteAllBytes(input, MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
        var sample = Path.Combine(root, "samples", "ImageClassifier");
        // The samples' nuget.config names the folder README's `dotnet pack` writes to; restore fails where it is absent.
        Directory.CreateDirectory(Path.Combine(root, "artifacts", "packages"));
        var printed = Dotnet(sample, "run", "-c", "Release", $"-p:TesselRuntimeVersion={version}", $"-p:RestoreAdditionalProjectSources={feed}",
            "--artifacts-path", Path.Combine(directory, "sample"), "--", artifact, "--input", input, "--output", output, "--threads", "1");
        Assert.Contains("loaded in", printed);
        Assert.Matches(@"class\s+\d+:", printed);

        var ours = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(output)).ToArray();
        using var ort = new OrtReference(File.ReadAllBytes(model), threads: 1);
        var expected = ort.RunAll(data, graph.Inputs.Single().Value)[0];
        var (_, maxRel) = OutputErrors.Compare([expected], [ours]);
        Assert.True(maxRel <= 1e-4, $"the sample's output differs from ONNX Runtime's by {maxRel:G3} (relative)");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Tessel.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Tessel.slnx above {AppContext.BaseDirectory}");
    }

    private static string Dotnet(string workingDirectory, params string[] args) => Run("dotnet", workingDirectory, args);

    /// <summary>Runs a command to its end and returns what it printed; a non-zero exit fails the test with its output.</summary>
    private static string Run(string program, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in 8 minutes");
        }
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }
}
