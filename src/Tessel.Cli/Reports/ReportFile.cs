using Spectre.Console;
using Tessel.Cli.Terminal;

namespace Tessel.Cli.Reports;

/// <summary>Writes a report page to a path: an error naming the path where it cannot be written, and one line saying
/// where it went.</summary>
public static class ReportFile
{
    public static void Save(TuningReport report, string path)
    {
        var html = ReportPage.Render(report);
        try
        {
            File.WriteAllText(path, html);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write the report to '{path}': {e.Message}");
        }
        Consoles.Error.WriteLine($"report: {path} ({html.Length / 1024} KB)");
    }
}
