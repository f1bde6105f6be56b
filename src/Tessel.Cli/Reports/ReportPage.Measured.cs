using System.Globalization;
using System.Text;
using Tessel.Cli.Reports.Charts;
using Tessel.Reports;

namespace Tessel.Cli.Reports;

/// <summary>The page's measured sections: the model run with the log's kernels beside ONNX Runtime, and a full log's
/// comparison.</summary>
public static partial class ReportPage
{
    private static void Latency(StringBuilder page, TuningReport report)
    {
        if (report.Run is not { } run)
        {
            Section(page, "latency", "Latency", $"<p class=\"warn\">The model was {E(report.RunSkipped ?? "not run")}.</p>");
            return;
        }
        var figures = new StringBuilder("<div class=\"figures\">");
        figures.Append(Figure("Tessel, tuned kernels", $"{run.LatencyMs:F2} ms"));
        if (run.OrtLatencyMs is { } ort)
        {
            figures.Append(Figure("ONNX Runtime", $"{ort:F2} ms"));
            figures.Append(Figure("Tessel / ONNX Runtime", $"{run.LatencyMs / ort:F2}x"));
        }
        if (run.MaxRelErr is { } rel) figures.Append(Figure("max relative error vs ONNX Runtime", rel.ToString("G3", CultureInfo.InvariantCulture)));
        figures.Append(Figure("kernels from the log / default", $"{run.KernelsFromLog} / {run.KernelsDefault}"));
        figures.Append(Figure("estimated by tuning (sum of count x best)", $"{report.Summary.EstimatedKernelSeconds * 1e3:F2} ms"));
        figures.Append("</div>");
        var steps = new HtmlTable("step-table", "node", "kind", "Tessel ms", "tuned alone ms", "ONNX Runtime ms", "Tessel / ONNX Runtime");
        foreach (var step in run.Steps ?? [])
        {
            var theirs = run.OrtSecondsOf(step.Label);
            steps.Add(null, step.Label.Node, step.Label.Kind, HtmlTable.Number(step.InSequenceSeconds * 1e3, "F3"),
                HtmlTable.Number((step.Label.TunedSeconds ?? double.NaN) * 1e3, "F3"), HtmlTable.Number((theirs ?? double.NaN) * 1e3, "F3"),
                theirs is { } t && t > 0 ? HtmlTable.Number(step.InSequenceSeconds / t, "F2") : HtmlTable.Number(double.NaN, ""));
        }
        foreach (var (op, nodes, seconds) in run.OrtOnly())
            steps.Add(null, $"(ONNX Runtime only, {nodes} nodes)", op, HtmlTable.Number(double.NaN, ""), HtmlTable.Number(double.NaN, ""),
                HtmlTable.Number(seconds * 1e3, "F3"), HtmlTable.Number(double.NaN, ""));
        var byKind = run.ProfileMs is { } kinds ? E(string.Join(", ", kinds.OrderByDescending(k => k.Value).Select(k => $"{k.Key} {k.Value:F2} ms"))) : "";
        Section(page, "latency", "Latency", $"""
            <p class="note">Median latency of the whole model on one sample input, {report.Host.Threads} threads, Tessel and ONNX Runtime measured in this
            process one after the other (the process start, model load and compilation left out). {(report.RunSkipped is { } why ? $"<span class=\"warn\">{E(why)}</span>" : "")}</p>
            {figures}
            <p class="meta">time by kind of step: {byKind}</p>
            <p class="note">Per node: each step's time in the model's order, beside the time ONNX Runtime's node for the same layer took in its own
            profiled run of the model.</p>
            {steps.ToHtml()}
            """);
    }

    private static void Comparison(StringBuilder page, LogComparison comparison)
    {
        var (selective, full) = (comparison.Selective, comparison.Full);
        var columns = new HtmlTable("rfc-table", "", "trials", "time used (sum of trial wall times) s", "log wall clock s", "model latency ms");
        columns.Add(null, "full", HtmlTable.Number(full.Trials, "F0"), HtmlTable.Number(full.TrialSeconds, "F1"), HtmlTable.Number(full.Seconds, "F1"),
            HtmlTable.Number(comparison.Latencies?.FullMs ?? double.NaN, "F2"));
        columns.Add(null, "selective", HtmlTable.Number(selective.Trials, "F0"), HtmlTable.Number(selective.TrialSeconds, "F1"), HtmlTable.Number(selective.Seconds, "F1"),
            HtmlTable.Number(comparison.Latencies?.SelectiveMs ?? double.NaN, "F2"));
        var perTask = new HtmlTable("versus-table", "id", "how tuned (selective)", "selective best ms", "full best ms", "full / selective", "cost to the model ms");
        foreach (var (s, f, gap) in comparison.Tasks)
            perTask.Add(s.IsRepresentative ? "representative" : null, s.Task.Id, s.Treatment.Text, HtmlTable.Number(s.BestSeconds * 1e3, "F4"),
                HtmlTable.Number(f.BestSeconds * 1e3, "F4"), HtmlTable.Number(f.BestSeconds / s.BestSeconds, "F3"), HtmlTable.Number(gap * 1e3, "F4"));
        var perf = comparison.AchievedPerf is { } p ? $"{100 * p:F1}%" : "not measured (--no-run)";
        var figures = string.Concat(Figure("time used (RFC)", $"{100 * comparison.TimeUsed:F1}%"), Figure("time used by wall clock", $"{100 * comparison.WallTimeUsed:F1}%"),
            Figure("trials used", $"{100 * comparison.TrialsUsed:F1}%"), Figure("achieved performance (RFC)", perf));
        Section(page, "comparison", "Selective vs full", $"""
            <div class="figures">{figures}</div>
            <p class="note">The RFC's columns: time used is the selective log's trial time over the full log's (each trial's own wall time, build and
            measurement, summed; selection, model fits and the process around them are not in it — the log wall clock is beside it); achieved
            performance is the model's latency with the full log's kernels over its latency with the selective log's, both compiled and measured
            here in alternation (means over 4 compilations, medians of 7 rounds).</p>
            {columns.ToHtml(sortable: false)}
            <div class="chart">{Svg(ComparisonChart.Create(comparison), 1100, 480)}</div>
            <p class="note">"Cost to the model": count x (selective best - full best), what each task's selective kernel costs the model beyond the full
            log's (negative: the selective log found the faster one). Sort by it to see where selective tuning lost.</p>
            {perTask.ToHtml()}
            """);
    }
}
