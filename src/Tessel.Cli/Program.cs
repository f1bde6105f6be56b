using System.CommandLine;
using System.CommandLine.Help;
using Spectre.Console;
using Tessel.Cli;
using Tessel.Cli.Commands;
using Tessel.Cli.Terminal;

// A plain command named "tessel" as the root, so usage lines read "tessel ..." whatever the host binary is called.
var root = new Command("tessel", "Tessel: tunes the tensor kernels of deep-learning models for this machine, and cuts tuning time with selective tuning")
{
    new HelpOption(),
    new VersionOption(),
    TuneOpCommand.Create(),
    BestCommand.Create(),
    TasksCommand.Create(),
    TuneCommand.Create(),
    RunCommand.Create(),
    ExportCommand.Create(),
    CompareCommand.Create(),
    SelectCommand.Create(),
    BenchCommand.Create(),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // Name what is wrong and where help is, rather than printing the whole help page.
    foreach (var error in parsed.Errors) Consoles.Error.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
    var path = parsed.CommandResult.Command == root ? "tessel" : "tessel " + parsed.CommandResult.Command.Name;
    Consoles.Error.MarkupLine($"see '{Markup.Escape(path)} --help'");
    return ExitCodes.BadInput;
}

try
{
    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (UsageException e)
{
    Consoles.Error.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
    return ExitCodes.BadInput;
}
catch (NotSupportedException e)
{
    // A model the runtime cannot run (an op form outside what Tessel implements): say which, no stack.
    Consoles.Error.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
    return ExitCodes.BadInput;
}
catch (OperationCanceledException)
{
    Consoles.Error.MarkupLine("[yellow]cancelled[/]; records written so far are kept");
    return ExitCodes.Cancelled;
}
