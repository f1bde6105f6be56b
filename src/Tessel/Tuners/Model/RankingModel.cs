using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Tessel.Tuners.Model;

/// <summary>A gradient-boosted ranking model of config speed (ML.NET's FastTree LambdaRank, the role
/// XGBoost's rank loss plays in AutoTVM): it learns which of two configs of a workload is faster, not how
/// fast either is, so workloads of different sizes train one model. Speeds are graded per workload
/// (relevance 0 for a failed config up to <see cref="Grades"/>-1 for the fastest).</summary>
public sealed class RankingModel
{
    /// <summary>Relevance levels of the ranking labels.</summary>
    public const int Grades = 16;

    private readonly MLContext ml;
    private readonly RankingModelOptions options;

    public RankingModel(RankingModelOptions? options = null, int? seed = null)
    {
        this.options = options ?? new RankingModelOptions();
        ml = new MLContext(seed ?? 0);
    }

    private ITransformer? fitted;

    /// <summary>The trees of the last fit; null before the first.</summary>
    public TreeEnsemble? Trees { get; private set; }

    /// <summary>Fits on samples; a sample's speed is 1/seconds, 0 for a config that failed. Groups are
    /// workloads: speeds are compared only within one.</summary>
    public void Fit(IReadOnlyList<RankingSample> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("no samples to fit", nameof(samples));
        var width = samples[0].Features.Length;
        var groups = samples.Select(s => s.Group).Distinct().Order().Select((g, i) => (g, i)).ToDictionary(p => p.g, p => (uint)p.i + 1);
        var fastest = samples.GroupBy(s => s.Group).ToDictionary(g => g.Key, g => g.Max(s => s.Speed));
        var rows = samples
            .OrderBy(s => s.Group) // FastTree reads a query's rows as one contiguous run
            .Select(s => new Row
            {
                Features = s.Features,
                Group = groups[s.Group],
                Label = Grade(s.Speed, fastest[s.Group]),
            }).ToList();
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        schema[nameof(Row.Group)].ColumnType = new KeyDataViewType(typeof(uint), groups.Count + 1);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var trainer = ml.Ranking.Trainers.FastTree(new FastTreeRankingTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            RowGroupColumnName = nameof(Row.Group),
            NumberOfTrees = options.Trees,
            NumberOfLeaves = options.Leaves,
            MinimumExampleCountPerLeaf = Math.Max(1, Math.Min(options.MinExamplesPerLeaf, samples.Count / 8)),
            LearningRate = options.LearningRate,
            CustomGains = Enumerable.Range(0, Grades).Select(g => (double)g * g).ToArray(),
            NdcgTruncationLevel = Math.Max(10, samples.GroupBy(s => s.Group).Max(g => g.Count())),
            NumberOfThreads = 1,
            Seed = options.Seed,
        });
        var model = trainer.Fit(data);
        fitted = model;
        Trees = TreeEnsemble.From(model.Model.TrainedTreeEnsemble);
    }

    /// <summary>A score that orders configs of one workload: higher is predicted faster.</summary>
    public double Predict(float[] features) =>
        (Trees ?? throw new InvalidOperationException("the ranking model is not fitted yet")).Evaluate(features);

    /// <summary>Scores of many rows through ML.NET itself (tests compare it with <see cref="Predict"/>).</summary>
    internal float[] PredictWithMlNet(IReadOnlyList<float[]> features)
    {
        var model = fitted ?? throw new InvalidOperationException("the ranking model is not fitted yet");
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features[0].Length);
        schema[nameof(Row.Group)].ColumnType = new KeyDataViewType(typeof(uint), 2);
        var data = ml.Data.LoadFromEnumerable(features.Select(f => new Row { Features = f, Group = 1 }), schema);
        return model.Transform(data).GetColumn<float>("Score").ToArray();
    }

    /// <summary>Relevance grade of a speed against the workload's fastest: squared, so that the grades
    /// separate the near-best configs, which is where the search is decided.</summary>
    internal static float Grade(double speed, double fastest) =>
        speed <= 0 || fastest <= 0 ? 0 : (float)Math.Round((Grades - 1) * Math.Pow(speed / fastest, 2));

    private sealed class Row
    {
        public float Label { get; set; }
        public uint Group { get; set; }
        public float[] Features { get; set; } = [];
    }
}

/// <summary>One measured config as the ranking model sees it.</summary>
/// <param name="Features">the config's feature vector</param>
/// <param name="Speed">1 / seconds; 0 when the config failed</param>
/// <param name="Group">the workload it belongs to (speeds are compared within a group only)</param>
public sealed record RankingSample(float[] Features, double Speed, int Group);

/// <summary>Size of the boosted ensemble; small, since it is refitted every plan and must stay cheap
/// next to measuring.</summary>
public sealed record RankingModelOptions
{
    public int Trees { get; init; } = 100;
    public int Leaves { get; init; } = 16;
    public int MinExamplesPerLeaf { get; init; } = 4;
    public double LearningRate { get; init; } = 0.2;
    public int Seed { get; init; } = 1;
}
