using Spectre.Console;

namespace Tessel.Cli.Terminal;

/// <summary>Where the command writes: results on stdout (kept clean for <c>--json</c>), progress and
/// warnings on stderr. A run in process (a test) can capture both for its own flow of work.</summary>
public static class Consoles
{
    private sealed record Writers(IAnsiConsole Out, IAnsiConsole Error, TextWriter PlainOut, TextWriter PlainError);

    private static readonly Writers Process = new(Create(Console.Out, Console.IsOutputRedirected), Create(Console.Error, Console.IsErrorRedirected), Console.Out, Console.Error);

    private static readonly AsyncLocal<Writers?> Captured = new();

    public static IAnsiConsole Out => (Captured.Value ?? Process).Out;

    public static IAnsiConsole Error => (Captured.Value ?? Process).Error;

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        // Spectre assumes 80 columns when writing to a file or pipe; messages read better unwrapped.
        if (redirected) console.Profile.Width = 200;
        return console;
    }

    /// <summary>Sends what this flow of work (and the tasks it starts) writes to the given writers until disposed,
    /// as plain text: how tests run the command in process.</summary>
    public static IDisposable Capture(TextWriter stdout, TextWriter stderr)
    {
        var before = Captured.Value;
        Captured.Value = new Writers(Create(stdout, redirected: true), Create(stderr, redirected: true), stdout, stderr);
        return new Restore(() => Captured.Value = before);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>Stdout and stderr as plain writers (help text, reports written whole).</summary>
    public static TextWriter PlainOut => (Captured.Value ?? Process).PlainOut;

    public static TextWriter PlainError => (Captured.Value ?? Process).PlainError;

    /// <summary>JSON goes to stdout as one raw line: Spectre would wrap it at the terminal width.</summary>
    public static void WriteJson(System.Text.Json.Nodes.JsonNode node) => PlainOut.WriteLine(node.ToJsonString());

    public static void Warn(string message) => Error.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");
}
