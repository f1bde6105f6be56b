using Tessel.Reports;

namespace Tessel.Cli.Reports.Charts;

/// <summary>Best-so-far GFLOP/s of every tuned task, against its trials or against the log's wall clock:
/// representatives (and tasks tuned in full) in colour, solid; dependents in grey, dashed.</summary>
public static class TuningCurvesChart
{
    public static ScottPlot.Plot Create(TuningSummary summary, bool againstClock)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var colour = 0;
        foreach (var task in summary.Tasks.Where(t => t.Curve.Count > 0))
        {
            var xs = task.Curve.Select(p => againstClock ? p.Seconds : p.Trial).ToArray();
            var ys = task.Curve.Select(p => p.BestGflops).ToArray();
            var line = plot.Add.ScatterLine(xs, ys);
            line.MarkerSize = 0;
            line.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
            var own = task.Treatment.Kind == TreatmentKind.TunedInFull;
            line.Color = own ? palette.GetColor(colour++) : ScottPlot.Colors.Gray.WithAlpha(0.7);
            line.LineWidth = own ? 2 : 1;
            if (!own) line.LinePattern = ScottPlot.LinePattern.Dashed;
        }
        plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = "tuned in full (representatives)", LineColor = palette.GetColor(0), LineWidth = 2 });
        plot.Legend.ManualItems.Add(new ScottPlot.LegendItem
        {
            LabelText = "shared / refined (dependents)", LineColor = ScottPlot.Colors.Gray, LineWidth = 1, LinePattern = ScottPlot.LinePattern.Dashed,
        });
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.XLabel(againstClock ? "seconds since the log's first trial of the model" : "trials of the task");
        plot.YLabel("best GFLOP/s so far");
        plot.Title(againstClock ? "Tuning curves against wall clock" : "Tuning curves against trials");
        plot.Axes.SetLimitsY(0, Math.Max(1, summary.Tasks.Max(t => t.BestGflops)) * 1.08);
        return plot;
    }
}
