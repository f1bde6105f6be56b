using Tessel.Reports;

namespace Tessel.Cli.Reports.Charts;

/// <summary>Per task, the selective log's best against the full log's (full best / selective best, as a percentage:
/// above 100 the selective log found the faster kernel).</summary>
public static class ComparisonChart
{
    public static ScottPlot.Plot Create(LogComparison comparison)
    {
        var plot = new ScottPlot.Plot();
        var rows = comparison.Tasks.Where(r => r.Selective.Tuned && r.Full.Tuned).ToList();
        var bars = rows.Select((r, i) =>
        {
            var percent = 100 * r.Full.BestSeconds / r.Selective.BestSeconds;
            return new ScottPlot.Bar
            {
                Position = i, Value = percent,
                FillColor = percent >= 100 ? ScottPlot.Colors.SeaGreen : r.Selective.IsRepresentative ? ScottPlot.Colors.SteelBlue : ScottPlot.Colors.IndianRed,
            };
        }).ToList();
        plot.Add.Bars(bars);
        var full = plot.Add.HorizontalLine(100);
        full.LinePattern = ScottPlot.LinePattern.Dashed;
        full.Color = ScottPlot.Colors.Black;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(rows.Select((r, i) => new ScottPlot.Tick(i, r.Selective.Task.Id)).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 50;
        plot.YLabel("full best / selective best (%)");
        plot.Title("Per task: the selective log's best kernel against the full log's (green: selective as fast or faster)");
        plot.Axes.SetLimitsY(0, Math.Max(120, bars.Select(b => b.Value).DefaultIfEmpty(100).Max() * 1.1));
        return plot;
    }
}
