using System.Globalization;
using System.Net;
using System.Text;
using Tessel.Cli.Reports.Charts;
using Tessel.Reports;

namespace Tessel.Cli.Reports;

/// <summary>Writes a <see cref="TuningReport"/> as one self-contained HTML page: styles, script and charts (SVG drawn by
/// ScottPlot) inline, nothing fetched, so it opens from disk. Sections: model, selection, tasks (a table that sorts),
/// curves, roofline, latency, and with a full log, the comparison.</summary>
public static partial class ReportPage
{
    public static string Render(TuningReport report)
    {
        var page = new StringBuilder();
        var host = report.Host;
        var logs = $"log <code>{E(report.Log)}</code>" + (report.FullLog is { } full ? $", full log <code>{E(full)}</code>" : "");
        var compared = report.Comparison is null ? "" : "<a href=\"#comparison\">Selective vs full</a>";
        page.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Tessel report: {E(report.Model)}</title><style>{Asset("report.css")}</style></head>
            <body><header><h1>Tessel tuning report: {E(report.Model)}</h1>
            <p class="meta">{logs}; written {report.Written:yyyy-MM-dd HH:mm}</p>
            <p class="meta" id="host">host: {E(host.Cpu)}; {host.Threads} threads; measured FMA peak {host.PeakGflops:F0} GFLOP/s,
            memory read bandwidth {host.BandwidthGBs:F1} GB/s</p>
            <nav><a href="#model">Model</a><a href="#selection">Selection</a><a href="#tasks">Tasks</a><a href="#curves">Curves</a><a href="#roofline">Roofline</a>
            <a href="#latency">Latency</a>{compared}</nav></header>
            """);
        Model(page, report);
        Selection(page, report);
        Tasks(page, report);
        Curves(page, report.Summary);
        Roofline(page, report);
        Latency(page, report);
        if (report.Comparison is { } comparison) Comparison(page, comparison);
        page.Append("<script>").Append(Asset("report.js")).Append("</script></body></html>\n");
        return page.ToString();
    }

    private static void Model(StringBuilder page, TuningReport report)
    {
        var summary = report.Summary;
        var ops = report.Graph.SourceNodes.GroupBy(n => n.OpType).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}");
        var figures = string.Concat(
            Figure("ops", $"{report.Graph.SourceNodes.Count}"), Figure("tasks", $"{summary.Tasks.Count}"), Figure("tuned tasks", $"{summary.Tasks.Count(t => t.Tuned)}"),
            Figure("GFLOP per run (tuned ops)", $"{report.ModelFlops / 1e9:F3}"), Figure("trials in the log", $"{summary.Trials}"),
            Figure("tuning wall clock", $"{summary.Seconds:F1} s"), report.Run is { } run ? Figure("latency", $"{run.LatencyMs:F2} ms") : "");
        Section(page, "model", "Model", $"""
            <div class="figures">{figures}</div>
            <p class="meta">ops: {E(string.Join(", ", ops))}</p>
            <p class="note">A task is one distinct workload of a tunable op (conv2d, depthwise conv2d, dense) with the template that runs it; an
            alternative template of the same workload (Winograd, channel-blocked) is a task of its own, and the model runs the faster.
            The tasks table below lists each with its count in the model and FLOPs.</p>
            """);
    }

    private static void Selection(StringBuilder page, TuningReport report)
    {
        var summary = report.Summary;
        var selection = summary.Selection;
        var ids = summary.Tasks.Select(t => t.Task.Id).ToArray();
        var clusters = new HtmlTable("clusters", "cluster", "representative", "members", "tasks");
        foreach (var (cluster, i) in selection.Clusters.Select((c, i) => (c, i)))
            clusters.Add(null, HtmlTable.Number(i, "F0"), ids[selection.Depend[cluster[0]]], string.Join(" ", cluster.Select(m => ids[m])), HtmlTable.Number(cluster.Length, "F0"));
        var side = SimilarityChart.Side(ids.Length);
        Section(page, "selection", "Selection", $"""
            <p>{selection.Representatives.Count} representatives for {ids.Length} tasks: tasks whose similarity rate (the overlap of their tuning
            spaces) reaches {selection.Threshold:G3} are joined in a graph; each maximal clique is a cluster, and the task with the highest weight sum
            to the others represents it. Every other task depends on its representative and tries its {E(summary.DependMode.Text)} best schedules.
            {(summary.Selective ? "" : FullRunNote)}</p>
            <div class="chart">{Svg(SimilarityChart.Create(selection, ids), Math.Min(side, 3000), Math.Min(side, 3000) - 40)}</div>
            {clusters.ToHtml()}
            """);
    }

    private const string FullRunNote = "<b>No dependent's first trials are the schedules this selection gives it</b>: the log is of a full run "
        + "(every task tuned in full; the selection below is what <code>--selective</code> would choose), or of a selective run with other "
        + "selection options (give <code>--min-similarity</code>, <code>--similarity</code> and <code>--depend-mode</code> as that run had them).";

    private static void Tasks(StringBuilder page, TuningReport report)
    {
        var table = new HtmlTable("task-table", "id", "template", "workload", "count", "MFLOP", "depends on", "how tuned", "trials", "errors", "best ms", "GFLOP/s",
            "% of peak", "% of roof", "best config");
        foreach (var t in report.Summary.Tasks)
        {
            var errors = string.Join(", ", t.Errors.OrderBy(e => e.Key).Select(e => $"{e.Key} {e.Value}"));
            table.Add(t.IsRepresentative ? "representative" : null,
                t.Task.Id, t.Task.Task.Name, Workload(t), HtmlTable.Number(t.Task.Count, "F0"), HtmlTable.Number(t.Task.Flops / 1e6, "F1"),
                t.RepresentativeId, t.Treatment.Text, HtmlTable.Number(t.Trials, "F0"), new(errors, t.ErrorCount, "text"),
                HtmlTable.Number(t.BestSeconds * 1e3, "F4"), t.Tuned ? HtmlTable.Number(t.BestGflops, "F1") : HtmlTable.Number(double.NaN, ""),
                t.Tuned ? HtmlTable.Number(100 * t.BestGflops / report.Host.PeakGflops, "F1") : HtmlTable.Number(double.NaN, ""),
                t.Tuned ? HtmlTable.Number(100 * t.BestGflops / report.Host.Roof(t.Intensity), "F1") : HtmlTable.Number(double.NaN, ""),
                new(t.BestConfig ?? "", null, "config"));
        }
        Section(page, "tasks", "Tasks", $"""
            <p class="note">Click a column to sort. "% of peak" is the best kernel's GFLOP/s against this machine's measured FMA peak; "% of roof" against the
            lower of the peak and bandwidth x intensity. Errors are counted by code (a kernel that did not compile, crashed, hung or computed wrong
            numbers is recorded and tuning went on). A dependent's first trials are its representative's best schedules, mapped into its space.</p>
            {table.ToHtml()}
            """);
    }

    private static void Curves(StringBuilder page, TuningSummary summary) => Section(page, "curves", "Tuning curves", $"""
        <div class="chart">{Svg(TuningCurvesChart.Create(summary, againstClock: false), 1100, 520)}</div>
        <div class="chart">{Svg(TuningCurvesChart.Create(summary, againstClock: true), 1100, 520)}</div>
        """);

    private static void Roofline(StringBuilder page, TuningReport report) => Section(page, "roofline", "Roofline", $"""
        <p class="note">Both roofs measured now, on this machine, at {report.Host.Threads} threads: the FMA peak by 12 independent FMA chains per thread,
        the bandwidth by a vectorised read of 128 MiB (main memory's). Intensity counts each kernel's data, weight and output once (the least it must
        move); a kernel whose tensors stay in cache between the calls timed can sit above the bandwidth roof.</p>
        <div class="chart">{Svg(RooflineChart.Create(report.Summary, report.Host), 1100, 600)}</div>
        """);

    /// <summary>A workload's tensor shapes, <c>1x64x56x56 64x64x3x3</c>.</summary>
    private static string Workload(TaskSummary task)
    {
        var shapes = task.Task.Task.Template.Shapes(task.Task.Task.Workload);
        return $"{string.Join("x", shapes.Data)} {string.Join("x", shapes.Weight)} -> {string.Join("x", shapes.Output)}";
    }

    private static void Section(StringBuilder page, string id, string title, string body) =>
        page.Append(CultureInfo.InvariantCulture, $"<section id=\"{id}\"><h2>{E(title)}</h2>\n{body}\n</section>\n");

    private static string Figure(string label, string value) => $"<div class=\"figure\"><b>{E(value)}</b>{E(label)}</div>";

    /// <summary>A chart as inline SVG that scales to the page's width: ScottPlot writes fixed pixel sizes, and a viewBox lets
    /// the browser keep the aspect when CSS narrows it.</summary>
    private static string Svg(ScottPlot.Plot plot, int width, int height) =>
        plot.GetSvgHtml(width, height).Replace($"width=\"{width}\" height=\"{height}\"",
            $"width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\"", StringComparison.Ordinal);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Asset(string name)
    {
        using var stream = typeof(ReportPage).Assembly.GetManifestResourceStream("Tessel.Cli.Reports.Assets." + name)
            ?? throw new InvalidOperationException($"the report asset {name} is not embedded");
        return new StreamReader(stream).ReadToEnd();
    }
}
