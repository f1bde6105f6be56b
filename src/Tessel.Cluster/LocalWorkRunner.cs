using System.Text.Json.Nodes;
using Tessel.Cluster.Protocol;
using Tessel.Measure;
using Tessel.Tasks;
using Tessel.Templates;
using Tessel.Workloads;

namespace Tessel.Cluster;

/// <summary>Measures items on this machine: each is rebuilt into its task and config (as a log record would be)
/// and measured by a <see cref="LocalMeasurer"/> per protocol, so a crashing kernel takes only the worker's
/// worker process down. An item this machine cannot rebuild is an error result, not a lost item.</summary>
public sealed class LocalWorkRunner : IWorkRunner
{
    private readonly Dictionary<MeasureSettings, LocalMeasurer> measurers = [];
    private readonly Dictionary<string, TuningTask> tasks = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<WorkResult>> RunAsync(IReadOnlyList<WorkItem> items, string worker, CancellationToken cancellationToken)
    {
        var results = new WorkResult?[items.Count];
        var inputs = new List<(int Index, MeasureInput Input)>();
        for (var i = 0; i < items.Count; i++)
        {
            try { inputs.Add((i, Input(items[i]))); }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException) { results[i] = WorkResult.From(items[i].Id, MeasureResult.Error(MeasureErrorNo.InstantiationError,
                e.Message), worker); }
        }
        foreach (var group in inputs.GroupBy(x => items[x.Index].Settings))
        {
            if (!measurers.TryGetValue(group.Key, out var measurer)) measurers[group.Key] = measurer = new LocalMeasurer(group.Key.ToOptions());
            var measured = await measurer.MeasureAsync(group.Select(x => x.Input).ToList(), cancellationToken);
            foreach (var ((index, _), result) in group.Zip(measured)) results[index] = WorkResult.From(items[index].Id, result, worker);
        }
        return results.Select(r => r!).ToList();
    }

    private MeasureInput Input(WorkItem item)
    {
        var template = TemplateRegistry.Find(item.TaskName) ?? throw new FormatException($"no template named '{item.TaskName}' on this worker");
        var key = item.Target + " " + item.TaskName + " " + item.Args;
        if (!tasks.TryGetValue(key, out var task))
        {
            var args = JsonNode.Parse(item.Args) as JsonArray ?? throw new FormatException($"workload args are not a JSON array: {item.Args}");
            tasks[key] = task = TuningTask.OfRecorded(template, new Workload(item.TaskName, args), new Target(item.Target));
        }
        var entity = JsonNode.Parse(item.Entity) as JsonArray ?? throw new FormatException($"config entity is not a JSON array: {item.Entity}");
        return new MeasureInput(task, task.Space.FromEntityJson(entity));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var measurer in measurers.Values) await measurer.DisposeAsync();
    }
}
