using System.Diagnostics;

namespace Tessel.IntegrationTests.Cli;

/// <summary>Runs the real <c>tessel</c> command (the built Tessel.Cli.dll next to the tests) in a child process.</summary>
public static class CliRunner
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    public static Outcome Run(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tessel {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return new Outcome(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts the command with its output redirected; the caller reads, waits for or kills it.</summary>
    public static Process Start(string workingDirectory, params string[] args) => Process.Start(StartInfo(workingDirectory, args))!;

    /// <summary>Starts the command as a service manager would, with SIGINT at its default disposition (GNU env's
    /// --default-signal, then exec: the same process id): a test run started as a background job of a
    /// non-interactive shell inherits SIGINT ignored, and .NET leaves an ignored SIGINT ignored.</summary>
    public static Process StartWithDefaultSignals(string workingDirectory, params string[] args)
    {
        var start = StartInfo(workingDirectory, args);
        start.ArgumentList.Insert(0, start.FileName);
        start.ArgumentList.Insert(0, "--default-signal=INT");
        start.FileName = "env";
        return Process.Start(start)!;
    }

    private static ProcessStartInfo StartInfo(string workingDirectory, string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Tessel.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }
}
