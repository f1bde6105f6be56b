using Tessel.Selective;

namespace Tessel.Cli.Reports.Charts;

/// <summary>Draws a similarity matrix as a heatmap with tasks ordered cluster by cluster, so each cluster is a
/// block on the diagonal, outlined, with its representative named.</summary>
public static class SimilarityChart
{
    /// <summary>Pixels a side of the chart takes for <paramref name="tasks"/> tasks: enough for every label.</summary>
    public static int Side(int tasks) => 200 + 28 * tasks;

    public static ScottPlot.Plot Create(Selection selection, IReadOnlyList<string> ids)
    {
        var order = selection.Clusters.SelectMany(c => c).ToArray();
        var n = order.Length;
        var values = new double[n, n];
        for (var r = 0; r < n; r++)
        for (var c = 0; c < n; c++)
            values[r, c] = selection.Psm[order[r], order[c]];

        var plot = new ScottPlot.Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        // The extent gives the centres of the corner cells: cell (r, c) is centred on x = c, y = n - 1 - r.
        heatmap.Extent = new ScottPlot.CoordinateRect(0, n - 1, 0, n - 1);
        plot.Add.ColorBar(heatmap);
        var start = 0;
        foreach (var cluster in selection.Clusters)
        {
            var rect = plot.Add.Rectangle(start - 0.5, start + cluster.Length - 0.5, n - start - cluster.Length - 0.5, n - start - 0.5);
            rect.FillStyle.Color = ScottPlot.Colors.Transparent;
            rect.LineStyle.Color = ScottPlot.Colors.Red;
            rect.LineStyle.Width = 2;
            start += cluster.Length;
        }
        var ticks = order.Select((t, i) => new ScottPlot.Tick(i, ids[t] + (selection.Depend[t] == t ? "*" : ""))).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            order.Select((t, i) => new ScottPlot.Tick(n - 1 - i, ids[t] + (selection.Depend[t] == t ? "*" : ""))).ToArray());
        // Past about 60 tasks the labels would overlap at the default size; the page scales the chart down anyway.
        plot.Axes.Bottom.TickLabelStyle.FontSize = plot.Axes.Left.TickLabelStyle.FontSize = n > 60 ? 9 : 12;
        plot.Title($"Pairwise similarity, {selection.Clusters.Count} clusters (* representative)");
        return plot;
    }
}
