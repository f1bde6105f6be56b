using System.CommandLine;
using Tessel.Cli.Reports;
using Tessel.Records;
using Tessel.Cli.Terminal;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel report MODEL --log L -o report.html</c>: one self-contained HTML page of what tuning did — the
/// selection, every task's search, a roofline, the model beside ONNX Runtime, and with <c>--full-log</c> selective
/// against full tuning.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var model = new ModelArgument();
        var history = new HistoryOptions();
        var fullLog = new Option<string?>("--full-log") { Description = "A full tuning's log of the same model: adds selective vs full side by side (time used, achieved performance, per task)" };
        var output = new Option<string>("--output", "-o") { Description = "The HTML file to write", Required = true };
        var threads = new Option<int>("--threads") { Description = "Threads for the model run and the measured roofs", DefaultValueFactory = _ => Environment.ProcessorCount };
        threads.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError($"--threads must be >= 1, got {r.GetValueOrDefault<int>()}"); });
        var noRun = new Option<bool>("--no-run") { Description = "Do not run the model (no latency, per-node profile or achieved performance): a faster page" };
        var selection = new SelectionOptions();
        var sharing = new SharingOptions();
        var command = new Command("report", "Write one self-contained HTML page of a model's tuning: selection, each task's search, roofline, latency vs ONNX Runtime")
        {
            fullLog, output, threads, noRun,
        };
        model.AddTo(command);
        history.AddTo(command);
        selection.AddTo(command);
        command.Options.Add(sharing.DependMode);
        command.Options.Add(sharing.SharePool);
        command.SetAction(parsed =>
        {
            var records = history.Records(parsed) ?? throw new UsageException("give the tuning to report on with --log or --db");
            var graph = model.Load(parsed);
            var name = model.Name(parsed);
            var full = parsed.GetValue(fullLog) is { } f
                ? (f, File.Exists(f) ? RecordReader.Read(f, Consoles.Warn) : throw new UsageException($"full log '{f}' does not exist"))
                : ((string, IReadOnlyList<TuningRecord>)?)null;
            var scheme = selection.SchemeOf(parsed);
            var settings = new ReportSettings(parsed.GetValue(threads), selection.Threshold(parsed), selection.Definition(parsed),
                DependModeOption.Parse(parsed.GetValue(sharing.DependMode)) ?? scheme.Sharing.DependMode, RunModel: !parsed.GetValue(noRun),
                SharePool: DependModeOption.Parse(parsed.GetValue(sharing.SharePool)) ?? scheme.Sharing.SharePool);
            var onnx = model.OnnxBytes(parsed);
            ReportFile.Save(ReportBuilder.Build(name, graph, onnx, history.Path(parsed)!, records, settings, full), parsed.GetValue(output)!);
            return ExitCodes.Ok;
        });
        return command;
    }
}
