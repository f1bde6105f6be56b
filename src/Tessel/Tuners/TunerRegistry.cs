using Tessel.Tasks;
using Tessel.Tuners.Model;

namespace Tessel.Tuners;

/// <summary>Tuners by name, as the CLI offers them (<c>--tuner NAME</c>).</summary>
public static class TunerRegistry
{
    private static readonly (string Name, string Description, Func<TuningTask, int?, Tuner> Create)[] Entries =
    [
        ("random", "uniform random configs, none repeated", (task, seed) => new RandomTuner(task.Space, seed)),
        ("grid", "configs in index order", (task, _) => new GridTuner(task.Space)),
        ("ga", "genetic search: crossover of the fastest configs, mutation", (task, seed) => new GeneticTuner(task.Space, seed)),
        ("model", "a learned ranking model (gradient-boosted trees) searched by simulated annealing; learns from the log's other workloads too",
            (task, seed) => new ModelBasedTuner(task, seed)),
    ];

    public static IReadOnlyList<string> Names => Entries.Select(e => e.Name).ToArray();

    public static string Describe() => string.Join("; ", Entries.Select(e => $"{e.Name}: {e.Description}"));

    public static Tuner Create(string name, TuningTask task, int? seed)
    {
        foreach (var entry in Entries)
            if (string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase)) return entry.Create(task, seed);
        throw new ArgumentException($"unknown tuner '{name}' (choose one of: {string.Join(", ", Names)})");
    }
}
