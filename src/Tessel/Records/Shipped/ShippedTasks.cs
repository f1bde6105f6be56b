using Tessel.Graph.Zoo;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Records.Shipped;

/// <summary>What a shipped file covers: every distinct task (alternatives included) of the zoo models named, each once
/// however many models share it, in the models' order.</summary>
public static class ShippedTasks
{
    public static IReadOnlyList<(string Model, ExtractedTask Task)> Of(IEnumerable<string> models, Target target)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var tasks = new List<(string, ExtractedTask)>();
        foreach (var model in models)
            foreach (var task in TaskExtraction.Extract(ModelZoo.Build(model), target))
                if (seen.Add(task.Task.Workload.Key)) tasks.Add((model, task));
        return tasks;
    }
}
