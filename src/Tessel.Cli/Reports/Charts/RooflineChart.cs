using Tessel.Reports;

namespace Tessel.Cli.Reports.Charts;

/// <summary>The roofline of this machine (memory bandwidth x intensity, capped by the FMA peak, both measured) with
/// each tuned kernel at its arithmetic intensity and GFLOP/s; both axes log10.</summary>
public static class RooflineChart
{
    public static ScottPlot.Plot Create(TuningSummary summary, HostLimits host)
    {
        var plot = new ScottPlot.Plot();
        var tuned = summary.Tasks.Where(t => t.Tuned).ToList();
        var intensities = tuned.Select(t => t.Intensity).DefaultIfEmpty(1).ToList();
        var (low, high) = (Math.Min(0.5, intensities.Min() / 2), Math.Max(200, intensities.Max() * 2));
        var ridge = host.PeakGflops / host.BandwidthGBs;
        double[] roofX = [low, Math.Clamp(ridge, low, high), high];
        var roof = plot.Add.ScatterLine(roofX.Select(Math.Log10).ToArray(), roofX.Select(x => Math.Log10(host.Roof(x))).ToArray());
        roof.Color = ScottPlot.Colors.Black;
        roof.LineWidth = 2;
        roof.MarkerSize = 0;
        roof.LegendText = $"roof: {host.BandwidthGBs:F0} GB/s x intensity, {host.PeakGflops:F0} GFLOP/s FMA peak ({host.Threads} threads)";
        AddPoints(plot, tuned.Where(t => t.Treatment.Kind == TreatmentKind.TunedInFull).ToList(), ScottPlot.Colors.SteelBlue, "tuned in full");
        AddPoints(plot, tuned.Where(t => t.Treatment.Kind != TreatmentKind.TunedInFull).ToList(), ScottPlot.Colors.DarkOrange, "shared / refined");
        plot.Axes.Bottom.TickGenerator = LogTicks(low, high);
        plot.Axes.Left.TickGenerator = LogTicks(0.1, host.PeakGflops * 2);
        plot.XLabel("arithmetic intensity (FLOP per byte of data, weight and output)");
        plot.YLabel("GFLOP/s");
        plot.Title("Roofline: each tuned kernel against this machine's limits");
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        return plot;
    }

    private static void AddPoints(ScottPlot.Plot plot, IReadOnlyList<TaskSummary> tasks, ScottPlot.Color color, string label)
    {
        if (tasks.Count == 0) return;
        var points = plot.Add.ScatterPoints(tasks.Select(t => Math.Log10(t.Intensity)).ToArray(), tasks.Select(t => Math.Log10(Math.Max(0.01, t.BestGflops))).ToArray());
        points.Color = color;
        points.MarkerSize = 7;
        points.LegendText = label;
        foreach (var task in tasks)
        {
            var text = plot.Add.Text(task.Task.Id, Math.Log10(task.Intensity), Math.Log10(Math.Max(0.01, task.BestGflops)));
            text.LabelFontSize = 10;
            text.LabelFontColor = color.Darken(0.3);
            text.OffsetX = 5;
        }
    }

    /// <summary>Ticks at the powers of ten (labelled) and their multiples (unlabelled), for an axis holding log10 values.</summary>
    private static ScottPlot.TickGenerators.NumericManual LogTicks(double min, double max)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var exponent = (int)Math.Floor(Math.Log10(min)); exponent <= (int)Math.Ceiling(Math.Log10(max)); exponent++)
        {
            ticks.AddMajor(exponent, Math.Pow(10, exponent).ToString("G4", System.Globalization.CultureInfo.InvariantCulture));
            for (var m = 2; m < 10; m++) ticks.AddMinor(exponent + Math.Log10(m));
        }
        return ticks;
    }
}
