using Tessel.Experiments;
using Tessel.Graph;
using Tessel.OnnxRuntime;
using Tessel.Records;
using Tessel.Reports;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Cli.Reports;

/// <summary>How a report selects, and what it measures: the selection it draws is recomputed with these settings (the
/// ones tuning used), and with <see cref="RunModel"/> the model is run with the log's kernels and beside ONNX Runtime.
/// <see cref="Selective"/> false says the log is of a full run (no dependent looked for shared schedules).</summary>
public sealed record ReportSettings(
    int Threads, double MinSimilarity, SimilarityDefinition Definition, DependMode DependMode, bool RunModel = true, bool Selective = true,
    DependMode? SharePool = null);

/// <summary>Reads a model's tuning out of its records and measures what the page shows beside it: the machine's roofs,
/// the model's latency against ONNX Runtime's, and with a full log, both logs' latencies in turns.</summary>
public static class ReportBuilder
{
    /// <param name="onnx">the model's ONNX file for ONNX Runtime (null: a zoo model, exported)</param>
    /// <param name="sharing">each dependent's mapping, where the run that tuned it is at hand</param>
    /// <param name="latencies">the model's latency with each log (selective, full), where they were measured already</param>
    public static TuningReport Build(
        string model, ModelGraph graph, byte[]? onnx, string log, IReadOnlyList<TuningRecord> records, ReportSettings settings,
        (string Log, IReadOnlyList<TuningRecord> Records)? full = null, IReadOnlyDictionary<TuningTask, string>? sharing = null,
        (double SelectiveMs, double FullMs)? latencies = null)
    {
        var tasks = TaskExtraction.Extract(graph, Target.Host);
        if (tasks.Count == 0) throw new UsageException($"{model} has no tunable op (conv2d, depthwise conv2d, dense): nothing to report");
        var selection = TaskSelection.Select(tasks.Select(t => t.Task).ToList(), settings.MinSimilarity, settings.Definition);
        var summary = Summarise(tasks, selection, settings, log, records, sharing, model);
        var comparison = full is var (fullLog, fullRecords)
            ? new LogComparison(summary, Summarise(tasks, selection, settings with { Selective = false }, fullLog, fullRecords, null, model))
            : null;
        var host = HostLimits.Measure(settings.Threads);
        if (comparison is not null && full is { } f && (latencies ?? (settings.RunModel ? Latencies(graph, records, f.Records, settings.Threads) : null)) is { } measured)
            comparison = comparison with { Latencies = measured };
        var report = new TuningReport(model, graph, log, summary, host) { Comparison = comparison, FullLog = full?.Log };
        if (!settings.RunModel) return report with { RunSkipped = "not run (--no-run)" };
        return RunModel(report, graph, onnx, records, settings.Threads);
    }

    private static TuningSummary Summarise(
        IReadOnlyList<ExtractedTask> tasks, Selection selection, ReportSettings settings, string log, IReadOnlyList<TuningRecord> records,
        IReadOnlyDictionary<TuningTask, string>? sharing, string model)
    {
        var summary = TuningSummary.Of(tasks, selection, settings.DependMode, records, settings.Selective, sharing, settings.SharePool);
        if (summary.Trials == 0)
            throw new UsageException($"{log} holds no record of {model}'s workloads on this machine ({Target.Host.Text}): nothing to report");
        return summary;
    }

    private static (double, double) Latencies(ModelGraph graph, IReadOnlyList<TuningRecord> selective, IReadOnlyList<TuningRecord> full, int threads)
    {
        var latencies = ModelLatencies.Measure(graph, [selective, full], threads, Target.Host);
        return (latencies[0].Average(), latencies[1].Average());
    }

    /// <summary>Runs the model with the log's kernels beside ONNX Runtime, with both profiles; where ONNX Runtime cannot
    /// run it, the model alone, and the page says why ONNX Runtime is missing.</summary>
    private static TuningReport RunModel(TuningReport report, ModelGraph graph, byte[]? onnx, IReadOnlyList<TuningRecord> records, int threads)
    {
        var history = new HistoryBest(records);
        try
        {
            return report with { Run = ModelRun.Measure(graph, onnx, history, threads, verify: true, profile: true) };
        }
        catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or InvalidOperationException or NotSupportedException)
        {
            return report with
            {
                Run = ModelRun.Measure(graph, onnx, history, threads, verify: false, profile: true),
                RunSkipped = $"ONNX Runtime could not run the model: {e.Message}",
            };
        }
    }
}
