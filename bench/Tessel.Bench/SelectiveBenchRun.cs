using Tessel.Tuning;

namespace Tessel.Bench;

/// <summary>One configuration of the selective-tuning experiment: the budget and tuner of both sides, and
/// how the dependents are served (depend mode, share pool, refine trials) at which similarity threshold.</summary>
public sealed record SelectiveBenchRun(int Trials, string Tuner, string DependMode, string? SharePool, int Refine, int Threads,
    double Threshold, bool FactorSplits)
{
    /// <summary>A run of <paramref name="scheme"/>, with each setting given put in its place.</summary>
    public static SelectiveBenchRun Of(SelectiveScheme scheme, int trials, string tuner, int threads, bool factorSplits,
        string? dependMode = null, string? sharePool = null, int? refine = null, double? threshold = null) =>
        new(trials, tuner, dependMode ?? scheme.Sharing.DependMode.Text, sharePool ?? scheme.Sharing.SharePool?.Text, refine ?? scheme.Sharing.Refine, threads,
            threshold ?? scheme.MinSimilarity, factorSplits);

    /// <summary>How dependents are served, in words for reports and charts.</summary>
    public string Sharing => DependMode
        + (SharePool is null ? "" : $" of the {SharePool} pool (its best, the rest picked by the cost model)")
        + (Refine > 0 ? $", then {Refine} trials of the {Tuner} tuner" : "");

    /// <summary>A chart title naming the run.</summary>
    public string Title => $"Selective vs full tuning: {Trials} trials/task, similarity >= {Threshold}{(FactorSplits ? ", factor splits" : "")}\n{Sharing}";
}
