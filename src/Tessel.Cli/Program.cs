using System.CommandLine;
using Spectre.Console;
using Tessel.Cli;
using Tessel.Cli.Commands;
using Tessel.Cli.Terminal;

var root = new RootCommand("Tessel: tunes the tensor kernels of deep-learning models for this machine, and cuts tuning time with selective tuning")
{
    TuneOpCommand.Create(),
    BestCommand.Create(),
};

try
{
    return await root.Parse(args).InvokeAsync();
}
catch (UsageException e)
{
    Consoles.Error.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
    return ExitCodes.BadInput;
}
catch (OperationCanceledException)
{
    Consoles.Error.MarkupLine("[yellow]cancelled[/]; records written so far are kept");
    return ExitCodes.Cancelled;
}
