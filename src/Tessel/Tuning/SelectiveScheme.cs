using System.Globalization;
using Tessel.Selective;

namespace Tessel.Tuning;

/// <summary>A named way of tuning selectively: the similarity threshold of the task graph and how dependents are
/// served. <see cref="Tessel"/> is the scheme the experiments measured best (docs/SELECTIVE.md) and what
/// <c>tune --selective</c> runs with no other flag; <see cref="Rfc"/> is the RFC's exact behaviour (PR #4187's
/// threshold 0.01, each dependent its representative's ten best, nothing more).</summary>
public sealed record SelectiveScheme(string Name, double MinSimilarity, SelectiveTuningOptions Sharing)
{
    public static SelectiveScheme Tessel { get; } = new("tessel", 0.00001,
        new SelectiveTuningOptions { DependMode = DependMode.Parse("top2"), SharePool = DependMode.Parse("100%"), Refine = 3 });

    public static SelectiveScheme Rfc { get; } = new("rfc", TaskSelection.DefaultThreshold, new SelectiveTuningOptions());

    public static SelectiveScheme Default => Tessel;

    public static IReadOnlyList<SelectiveScheme> All { get; } = [Tessel, Rfc];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(s => s.Name)];

    /// <summary>The scheme of that name; anything else throws <see cref="FormatException"/> naming the value.</summary>
    public static SelectiveScheme Parse(string name) =>
        All.FirstOrDefault(s => s.Name.Equals(name?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new FormatException($"unknown scheme '{name}' (choose one of: {string.Join(", ", Names)})");

    /// <summary>The explicit flags that spell this scheme out, as the docs and <c>--help</c> print them.</summary>
    public string Flags =>
        $"--min-similarity {MinSimilarity.ToString("0.##########", CultureInfo.InvariantCulture)} --depend-mode {Sharing.DependMode}" +
        (Sharing.SharePool is { } pool ? $" --share-pool {pool}" : "") + (Sharing.Refine > 0 ? $" --refine {Sharing.Refine}" : "");
}
