using Tessel.Spaces;

namespace Tessel.Tuners;

/// <summary>Tuners by name, as the CLI offers them (<c>--tuner NAME</c>).</summary>
public static class TunerRegistry
{
    private static readonly (string Name, string Description, Func<ConfigSpace, int?, Tuner> Create)[] Entries =
    [
        ("random", "uniform random configs, none repeated", (space, seed) => new RandomTuner(space, seed)),
        ("grid", "configs in index order", (space, _) => new GridTuner(space)),
        ("ga", "genetic search: crossover of the fastest configs, mutation", (space, seed) => new GeneticTuner(space, seed)),
    ];

    public static IReadOnlyList<string> Names => Entries.Select(e => e.Name).ToArray();

    public static string Describe() => string.Join("; ", Entries.Select(e => $"{e.Name}: {e.Description}"));

    public static Tuner Create(string name, ConfigSpace space, int? seed)
    {
        foreach (var entry in Entries)
            if (string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase)) return entry.Create(space, seed);
        throw new ArgumentException($"unknown tuner '{name}' (choose one of: {string.Join(", ", Names)})");
    }
}
