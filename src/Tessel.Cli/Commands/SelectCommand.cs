using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tessel.Cli.Reports.Charts;
using Tessel.Cli.Terminal;
using Tessel.Selective;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel select MODEL</c>: the RFC's task selection — similarity matrix, cliques, representatives.</summary>
public static class SelectCommand
{
    public static Command Create()
    {
        var model = new ModelArgument();
        var json = new Option<bool>("--json") { Description = "Print {tasks, psm, cliques, representatives, depend} as JSON" };
        var plot = new Option<string?>("--plot") { Description = "Also write the similarity matrix as a PNG heatmap with the clusters outlined" };
        var selection = new SelectionOptions();
        var command = new Command("select", "Cluster a model's tasks by similarity and choose a representative per cluster") { json, plot };
        model.AddTo(command);
        selection.AddTo(command);
        command.SetAction(parsed =>
        {
            var tasks = model.Tasks(parsed);
            var result = TaskSelection.Select(tasks.Select(t => t.Task).ToList(), selection.Threshold(parsed), selection.Definition(parsed));
            var ids = tasks.Select(t => t.Id).ToArray();
            if (parsed.GetValue(plot) is { } png) SimilarityChart.Create(result, ids).SavePng(png, SimilarityChart.Side(ids.Length), SimilarityChart.Side(ids.Length) - 40);
            if (parsed.GetValue(json))
            {
                Consoles.WriteJson(new JsonObject
                {
                    ["tasks"] = new JsonArray(ids.Select(i => (JsonNode)i).ToArray()),
                    ["psm"] = new JsonArray(result.Psm.ToRows().Select(r => (JsonNode)new JsonArray(r.Select(v => (JsonNode)v).ToArray())).ToArray()),
                    ["cliques"] = new JsonArray(result.Clusters.Select(c => (JsonNode)new JsonArray(c.Select(i => (JsonNode)i).ToArray())).ToArray()),
                    ["representatives"] = new JsonArray(result.Representatives.Select(i => (JsonNode)ids[i]).ToArray()),
                    ["depend"] = new JsonObject(ids.Select((id, i) => KeyValuePair.Create(id, (JsonNode?)ids[result.Depend[i]]))),
                });
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("cluster", "representative", "members");
            foreach (var (cluster, i) in result.Clusters.Select((c, i) => (c, i)))
                table.AddRow($"{i}", ids[result.Depend[cluster[0]]], string.Join(" ", cluster.Select(m => ids[m])));
            Consoles.Out.Write(table);
            var threshold = result.Threshold.ToString("0.##########", CultureInfo.InvariantCulture);
            Consoles.Out.MarkupLine($"{result.Representatives.Count} representatives for {tasks.Count} tasks (similarity >= {threshold})");
            return ExitCodes.Ok;
        });
        return command;
    }
}
