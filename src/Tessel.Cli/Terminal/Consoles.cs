using Spectre.Console;

namespace Tessel.Cli.Terminal;

/// <summary>Where the command writes: results on stdout (kept clean for <c>--json</c>), progress and
/// warnings on stderr.</summary>
public static class Consoles
{
    public static IAnsiConsole Out { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });

    public static IAnsiConsole Error { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static void Warn(string message) => Error.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");
}
