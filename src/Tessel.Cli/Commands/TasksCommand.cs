using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tessel.Cli.Terminal;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel tasks MODEL</c>: the tunable tasks of a model, one per distinct workload.</summary>
public static class TasksCommand
{
    public static Command Create()
    {
        var model = new ModelArgument();
        var json = new Option<bool>("--json") { Description = "Print a JSON array: id, name, workload, count, flops, space_size" };
        var command = new Command("tasks", "List a model's tuning tasks (one per distinct conv2d, depthwise or dense workload)") { json };
        model.AddTo(command);
        command.SetAction(parsed =>
        {
            var tasks = model.Tasks(parsed);
            if (parsed.GetValue(json))
            {
                Consoles.WriteJson(new JsonArray(tasks.Select(t => (JsonNode)new JsonObject
                {
                    ["id"] = t.Id,
                    ["name"] = t.Task.Name,
                    ["workload"] = t.Task.Workload.Args.DeepClone(),
                    ["count"] = t.Count,
                    ["flops"] = t.Flops,
                    ["space_size"] = t.Task.Space.Size,
                }).ToArray()));
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("id", "task", "workload", "count", "MFLOP", "space");
            foreach (var t in tasks)
                table.AddRow(t.Id, t.Task.Name, Markup.Escape(t.Task.Workload.Args.ToJsonString()), t.Count.ToString(), $"{t.Flops / 1e6:F1}", $"{t.Task.Space.Size:N0}");
            Consoles.Out.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
