using System.CommandLine;
using System.CommandLine.Help;
using Spectre.Console;
using Tessel.Cli.Commands;
using Tessel.Cli.Terminal;

namespace Tessel.Cli;

/// <summary>The <c>tessel</c> command: its command tree, and one run of it from parsing to an exit code, with bad
/// input named rather than thrown. Program runs it; tests run it in process, their output captured
/// (<see cref="Terminal.Consoles.Capture"/>).</summary>
public static class TesselApp
{
    /// <summary>A plain command named "tessel" as the root, so usage lines read "tessel ..." whatever the host binary is called.</summary>
    public static Command Root() =>
        new Command("tessel", "Tessel: tunes the tensor kernels of deep-learning models for this machine, and cuts tuning time with selective tuning")
        {
            new HelpOption(),
            new VersionOption(),
            TuneOpCommand.Create(),
            BestCommand.Create(),
            TasksCommand.Create(),
            TuneCommand.Create(),
            RunCommand.Create(),
            BuildCommand.Create(),
            ExportCommand.Create(),
            CompareCommand.Create(),
            SelectCommand.Create(),
            ReportCommand.Create(),
            DbCommand.Create(),
            ShippedCommand.Create(),
            WorkerCommand.Create(),
            BenchCommand.Create(),
        };

    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = Root().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // Name what is wrong and where help is, rather than printing the whole help page.
            foreach (var error in parsed.Errors) Consoles.Error.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
            var names = new List<string>();
            for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
                names.Insert(0, result.Command.Name);
            var path = string.Join(' ', names);
            Consoles.Error.MarkupLine($"see '{Markup.Escape(path)} --help'");
            return ExitCodes.BadInput;
        }

        try
        {
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = Consoles.PlainOut, Error = Consoles.PlainError };
            // The worker's host stops it on SIGTERM and SIGINT; System.CommandLine's handler would force exit code 130/143 two
            // seconds in, while the worker may still be stopping.
            if (parsed.CommandResult.Command.Name == WorkerCommand.Name) configuration.ProcessTerminationTimeout = null;
            return await parsed.InvokeAsync(configuration);
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
        catch (InvalidDataException e)
        {
            // A file that is not what the option says (a damaged tuning database, a log given as --db): name it, no stack.
            Consoles.Error.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // A file an artifact or option names that is not there: name it, no stack.
            Consoles.Error.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            Consoles.Error.MarkupLine("[yellow]cancelled[/]; records written so far are kept");
            return ExitCodes.Cancelled;
        }
    }
}
