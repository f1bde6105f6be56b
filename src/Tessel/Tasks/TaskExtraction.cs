using Tessel.Graph;
using Tessel.Templates;
using Tessel.Workloads;

namespace Tessel.Tasks;

/// <summary>One task per distinct tunable workload of a model (conv2d, depthwise conv2d, dense), with how
/// often it occurs, each followed by its alternative implementations' tasks (Winograd for 3x3 stride-1
/// convs); every other op runs a default kernel and makes no task. Which template runs a node is the
/// <see cref="TemplateRegistry"/>'s op strategy.</summary>
public static class TaskExtraction
{
    public static IReadOnlyList<ExtractedTask> Extract(ModelGraph graph, Target target)
    {
        var found = new List<(ITemplate Template, Workload Workload)>();
        foreach (var node in graph.Nodes)
            if (TemplateRegistry.Primary(graph, node) is { } w) found.Add(w);
        var tasks = new List<ExtractedTask>();
        foreach (var group in found.GroupBy(f => f.Workload))
        {
            tasks.Add(new ExtractedTask($"T{tasks.Count}", new TuningTask(group.First().Template, group.Key, target, group.Count())));
            foreach (var (template, workload) in TemplateRegistry.Alternatives(group.Key))
                tasks.Add(new ExtractedTask($"T{tasks.Count}", new TuningTask(template, workload, target, group.Count()), Alternative: true));
        }
        return tasks;
    }
}
