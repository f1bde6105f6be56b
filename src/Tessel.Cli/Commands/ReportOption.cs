using System.CommandLine;
using Tessel.Cli.Reports;

namespace Tessel.Cli.Commands;

/// <summary><c>--report FILE</c> of <c>tune</c> and <c>compare</c>: the page <c>tessel report</c> writes, written at the
/// end of the run; and the settings a report shares with the run (threads, selection, depend mode).</summary>
public sealed class ReportOption
{
    public Option<string?> Path { get; } = new("--report") { Description = "At the end, write the HTML report of the run (as `tessel report` does) to this file" };

    public void AddTo(Command command) => command.Options.Add(Path);

    public static ReportSettings Settings(ParseResult parsed, TuningOptions tuning, SelectionOptions selection, SharingOptions sharing)
    {
        var shared = sharing.Parse(parsed, selection.SchemeOf(parsed));
        return new(parsed.GetValue(tuning.Threads), selection.Threshold(parsed), selection.Definition(parsed), shared.DependMode, SharePool: shared.SharePool);
    }
}
