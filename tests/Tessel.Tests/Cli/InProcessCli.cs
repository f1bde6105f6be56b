using Tessel.Cli;
using Tessel.Cli.Terminal;

namespace Tessel.Tests.Cli;

/// <summary>Runs the <c>tessel</c> command in this process with its output captured: for checks of parsing and of
/// bad input, which need no worker, no build and no second process.</summary>
public static class InProcessCli
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    public static async Task<Outcome> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code;
        using (Consoles.Capture(stdout, stderr))
            code = await TesselApp.RunAsync(args);
        return new Outcome(code, stdout.ToString(), stderr.ToString());
    }
}
