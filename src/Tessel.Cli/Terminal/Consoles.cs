using Spectre.Console;

namespace Tessel.Cli.Terminal;

/// <summary>Where the command writes: results on stdout (kept clean for <c>--json</c>), progress and
/// warnings on stderr.</summary>
public static class Consoles
{
    public static IAnsiConsole Out { get; } = Create(Console.Out, Console.IsOutputRedirected);

    public static IAnsiConsole Error { get; } = Create(Console.Error, Console.IsErrorRedirected);

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        // Spectre assumes 80 columns when writing to a file or pipe; messages read better unwrapped.
        if (redirected) console.Profile.Width = 200;
        return console;
    }

    /// <summary>JSON goes to stdout as one raw line: Spectre would wrap it at the terminal width.</summary>
    public static void WriteJson(System.Text.Json.Nodes.JsonNode node) => Console.Out.WriteLine(node.ToJsonString());

    public static void Warn(string message) => Error.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");
}
