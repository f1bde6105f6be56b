using System.CommandLine;
using Tessel.Selective;
using Tessel.Tuning;

namespace Tessel.Cli.Commands;

/// <summary>Options of task selection: the scheme (<c>--scheme</c>), and the similarity threshold and definition. A
/// threshold not given is the scheme's.</summary>
public sealed class SelectionOptions
{
    public Option<string> Scheme { get; } = new("--scheme")
    {
        Description = $"Selective scheme: {SelectiveScheme.Tessel.Name} (the measured best, docs/SELECTIVE.md: {SelectiveScheme.Tessel.Flags}) or " +
            $"{SelectiveScheme.Rfc.Name} (the RFC's exact behaviour: {SelectiveScheme.Rfc.Flags}); explicit flags override it",
        DefaultValueFactory = _ => SelectiveScheme.Default.Name,
    };

    public Option<double?> MinSimilarity { get; } = new("--min-similarity")
    {
        Description = "Tasks whose similarity rate reaches this are joined in the task graph (default: the scheme's)",
    };

    public Option<string> Similarity { get; } = new("--similarity")
    {
        Description = "knob-product (the RFC's: product of per-knob Jaccard indices) or space-jaccard (Jaccard index of the whole spaces)",
        DefaultValueFactory = _ => "knob-product",
    };

    public SelectionOptions()
    {
        Scheme.AcceptOnlyFromAmong([.. SelectiveScheme.Names]);
        MinSimilarity.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<double?>();
            if (v is not null && !(v is >= 0 and <= 1)) r.AddError($"--min-similarity must be in [0, 1], got {v}");
        });
        Similarity.AcceptOnlyFromAmong("knob-product", "space-jaccard");
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Scheme);
        command.Options.Add(MinSimilarity);
        command.Options.Add(Similarity);
    }

    /// <summary>The scheme named by <c>--scheme</c> (the default one when absent), before explicit flags override it.</summary>
    public SelectiveScheme SchemeOf(ParseResult parsed) => SelectiveScheme.Parse(parsed.GetValue(Scheme)!);

    /// <summary>The threshold given, else the scheme's.</summary>
    public double Threshold(ParseResult parsed) => parsed.GetValue(MinSimilarity) ?? SchemeOf(parsed).MinSimilarity;

    public SimilarityDefinition Definition(ParseResult parsed) =>
        parsed.GetValue(Similarity) == "space-jaccard" ? SimilarityDefinition.SpaceJaccard : SimilarityDefinition.KnobProduct;
}
