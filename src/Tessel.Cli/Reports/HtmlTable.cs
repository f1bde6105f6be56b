using System.Globalization;
using System.Net;
using System.Text;

namespace Tessel.Cli.Reports;

/// <summary>A table of the page: a header and rows of cells, each cell with its shown text and, for numbers, the value
/// the page's script sorts by (<c>data-value</c>), so "1.2 ms" sorts as 1.2 and an empty cell last.</summary>
public sealed class HtmlTable(string id, params string[] headers)
{
    public readonly record struct Cell(string Text, double? Value = null, string? Class = null)
    {
        public static implicit operator Cell(string text) => new(text, null, "text");
    }

    private readonly List<(Cell[] Cells, string? Class)> rows = [];

    public static Cell Number(double value, string format) =>
        double.IsFinite(value) ? new(value.ToString(format, CultureInfo.InvariantCulture), value) : new("-", double.MaxValue);

    public void Add(string? rowClass, params Cell[] cells) => rows.Add((cells, rowClass));

    public string ToHtml(bool sortable = true)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"scroll\"><table id=\"{id}\"{(sortable ? " class=\"sortable\"" : "")}><thead><tr>");
        foreach (var header in headers) html.Append("<th>").Append(WebUtility.HtmlEncode(header)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var (cells, rowClass) in rows)
        {
            html.Append(rowClass is null ? "<tr>" : $"<tr class=\"{rowClass}\">");
            foreach (var cell in cells)
            {
                html.Append("<td");
                if (cell.Class is { } c) html.Append(" class=\"").Append(c).Append('"');
                if (cell.Value is { } v) html.Append(" data-value=\"").Append(v.ToString("R", CultureInfo.InvariantCulture)).Append('"');
                html.Append('>').Append(WebUtility.HtmlEncode(cell.Text)).Append("</td>");
            }
            html.Append("</tr>");
        }
        return html.Append("</tbody></table></div>").ToString();
    }
}
