using System.CommandLine;
using Tessel.Selective;

namespace Tessel.Cli.Commands;

/// <summary>Options of task selection: the similarity threshold and definition.</summary>
public sealed class SelectionOptions
{
    public Option<double> MinSimilarity { get; } = new("--min-similarity")
    {
        Description = "Tasks whose similarity rate reaches this are joined in the task graph",
        DefaultValueFactory = _ => TaskSelection.DefaultThreshold,
    };

    public Option<string> Similarity { get; } = new("--similarity")
    {
        Description = "knob-product (the RFC's: product of per-knob Jaccard indices) or space-jaccard (Jaccard index of the whole spaces)",
        DefaultValueFactory = _ => "knob-product",
    };

    public SelectionOptions()
    {
        MinSimilarity.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<double>();
            if (!(v is >= 0 and <= 1)) r.AddError($"--min-similarity must be in [0, 1], got {v}");
        });
        Similarity.AcceptOnlyFromAmong("knob-product", "space-jaccard");
    }

    public void AddTo(Command command)
    {
        command.Options.Add(MinSimilarity);
        command.Options.Add(Similarity);
    }

    public SimilarityDefinition Definition(ParseResult parsed) =>
        parsed.GetValue(Similarity) == "space-jaccard" ? SimilarityDefinition.SpaceJaccard : SimilarityDefinition.KnobProduct;
}
