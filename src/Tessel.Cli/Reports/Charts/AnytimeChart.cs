using Tessel.Bench;

namespace Tessel.Cli.Reports.Charts;

/// <summary>One model's anytime curves: its measured latency against tuning wall clock, full tuning's log cut at moments
/// of its run (a step line per seed) and the selective runs under budgets (a marked line per seed).</summary>
public static class AnytimeChart
{
    public static ScottPlot.Plot Create(IReadOnlyList<AnytimeRun> runs)
    {
        var plot = new ScottPlot.Plot();
        foreach (var run in runs)
        {
            var full = plot.Add.ScatterLine(
                run.Full.Points.Select(p => p.Seconds).Prepend(0).ToArray(), run.Full.Points.Select(p => p.LatencyMs).Prepend(run.UntunedMs).ToArray());
            full.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
            full.Color = ScottPlot.Colors.SteelBlue;
            full.MarkerSize = 4;
            var budgets = run.Selective.OrderBy(b => b.WallSeconds).ToList();
            var selective = plot.Add.ScatterLine(budgets.Select(b => b.WallSeconds).ToArray(), budgets.Select(b => b.LatencyMs).ToArray());
            selective.Color = ScottPlot.Colors.DarkOrange;
            selective.MarkerSize = 7;
            selective.LineWidth = 2;
        }
        plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = "full tuning (gradient scheduler), its log cut at that time", LineColor = ScottPlot.Colors.SteelBlue, LineWidth = 1.5f });
        plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = "selective tuning run with that time budget", LineColor = ScottPlot.Colors.DarkOrange, LineWidth = 2 });
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.XLabel("tuning wall clock (s)");
        plot.YLabel("model latency (ms)");
        // The untuned start sits far above the tuned latencies: the axis shows the tuned range, the first step leaves it.
        var tuned = runs.SelectMany(r => r.Full.Points.Select(p => p.LatencyMs).Concat(r.Selective.Select(b => b.LatencyMs))).ToList();
        plot.Axes.SetLimitsY(tuned.Min() * 0.95, Math.Min(tuned.Max(), 1.6 * tuned.Min()) * 1.05);
        plot.Title($"{runs[0].Model}: latency against tuning time (seeds {string.Join(", ", runs.Select(r => r.Seed))}, one curve each)");
        return plot;
    }
}
