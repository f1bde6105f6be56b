using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace Tessel.Tuners.Model;

/// <summary>A gradient-boosted ranking model of config speed (LightGBM's LambdaRank through ML.NET, the role
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
    /// workloads: speeds are compared only within one. Returns false, keeping the previous fit, when the
    /// samples offer nothing to split on (LightGBM then grows single-leaf trees, which ML.NET cannot read).</summary>
    public bool Fit(IReadOnlyList<RankingSample> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("no samples to fit", nameof(samples));
        var width = samples[0].Features.Length;
        // LambdaRank only learns from pairs that involve a query's top positions (LightGBM truncates at 30),
        // so each workload's rows are dealt at random into queries of QuerySize: every speed range then has
        // its own top, and the model orders slow configs as well as fast ones. Grades stay per workload.
        var fastest = samples.GroupBy(s => s.Group).ToDictionary(g => g.Key, g => g.Max(s => s.Speed));
        var shuffle = new Random(options.Seed);
        var rows = new List<Row>(samples.Count);
        uint query = 0;
        foreach (var workload in samples.GroupBy(s => s.Group).OrderBy(g => g.Key))
        {
            var dealt = workload.OrderBy(_ => shuffle.Next()).ToList();
            for (var i = 0; i < dealt.Count; i++)
            {
                if (i % options.QuerySize == 0) query++;
                rows.Add(new Row { Features = dealt[i].Features, Group = query, Label = Grade(dealt[i].Speed, fastest[workload.Key]) });
            }
        }
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        schema[nameof(Row.Group)].ColumnType = new KeyDataViewType(typeof(uint), query + 1);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var trainer = ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            RowGroupColumnName = nameof(Row.Group),
            NumberOfIterations = options.Trees,
            NumberOfLeaves = options.Leaves,
            MinimumExampleCountPerLeaf = Math.Max(1, Math.Min(options.MinExamplesPerLeaf, samples.Count / 8)),
            MinimumExampleCountPerGroup = 1,
            LearningRate = options.LearningRate,
            CustomGains = Enumerable.Range(0, Grades).Select(g => g * g).ToArray(),
            NumberOfThreads = 1,
            Deterministic = true,
            Silent = true,
            Seed = options.Seed,
        });
        RankingPredictionTransformer<LightGbmRankingModelParameters> model;
        try { model = trainer.Fit(data); }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException("the model-based tuner needs LightGBM's native library (lib_lightgbm from the LightGBM package; on Linux it needs libgomp1): " + e.Message, e);
        }
        catch (ArgumentNullException)
        {
            return false;
        }
        fitted = model;
        Trees = TreeEnsemble.From(model.Model.TrainedTreeEnsemble);
        return true;
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

    /// <summary>Relevance grade of a speed against the workload's fastest, in even steps (gains grow as the
    /// grade squared, so the near-best configs still weigh most).</summary>
    internal static float Grade(double speed, double fastest) =>
        speed <= 0 || fastest <= 0 ? 0 : (float)Math.Round((Grades - 1) * (speed / fastest));

    private sealed class Row
    {
        public float Label { get; set; }
        public uint Group { get; set; }
        public float[] Features { get; set; } = [];
    }
}
