using Tessel.Experiments;

namespace Tessel.Cli.Terminal;

/// <summary>The selective experiment as a chart: per model, time used and achieved performance of selective
/// tuning relative to full tuning (100% = full tuning), the RFC's two columns side by side.</summary>
public static class SelectivePlot
{
    public static void Save(IReadOnlyList<SelectiveComparison> rows, string title, string path)
    {
        var plot = new ScottPlot.Plot();
        var bars = new List<ScottPlot.Bar>();
        for (var i = 0; i < rows.Count; i++)
        {
            bars.Add(new ScottPlot.Bar { Position = 4 * i, Value = 100 * rows[i].TimeUsed, FillColor = ScottPlot.Colors.LightSteelBlue });
            bars.Add(new ScottPlot.Bar { Position = 4 * i + 1, Value = 100 * rows[i].TimeUsedAtFullCost, FillColor = ScottPlot.Colors.SteelBlue });
            bars.Add(new ScottPlot.Bar { Position = 4 * i + 2, Value = 100 * rows[i].AchievedPerf, FillColor = ScottPlot.Colors.DarkOrange });
        }
        plot.Add.Bars(bars);
        var full = plot.Add.HorizontalLine(100);
        full.LineStyle.Pattern = ScottPlot.LinePattern.Dashed;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            rows.Select((r, i) => new ScottPlot.Tick(4 * i + 1, r.Model)).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 150;
        // Headroom above the 100% line keeps the legend clear of the bars.
        plot.Axes.SetLimitsY(0, Math.Max(140, 100 * rows.Max(r => r.AchievedPerf) + 40));
        plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = "time used (% of full tuning, wall time)", FillColor = ScottPlot.Colors.LightSteelBlue });
        plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = "time used at full-log trial costs", FillColor = ScottPlot.Colors.SteelBlue });
        plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = "achieved perf (% of full tuning)", FillColor = ScottPlot.Colors.DarkOrange });
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.Axes.Left.Label.Text = "%";
        plot.Title(title);
        plot.SavePng(path, Math.Max(900, 240 + 130 * rows.Count), 680);
    }
}
