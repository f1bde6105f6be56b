using System.Diagnostics;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Tuners.Model;

/// <summary>Search guided by a learned cost model (AutoTVM's XGBTuner, with LightGBM's LambdaRank through ML.NET):
/// configs are proposed in plans of <see cref="ModelTunerOptions.PlanSize"/>, the ones simulated annealing
/// finds the model ranks highest, with an epsilon of random configs so the model keeps seeing the unknown.
/// The model is refitted each time a plan's worth of new trials has arrived. Records of other workloads of
/// the same template (<see cref="Tuner.LoadHistory"/>) train it before the task's first trial: transfer.</summary>
public sealed class ModelBasedTuner : Tuner
{
    private readonly TuningTask task;
    private readonly ModelTunerOptions options;
    private readonly FeatureSchema schema;
    private readonly ConfigFeaturizer featurizer;
    private readonly RankingModel model;
    private readonly SimulatedAnnealing annealing;
    private readonly List<RankingSample> own = [];
    private readonly List<RankingSample> history = [];
    private readonly Dictionary<long, double> speeds = [];
    private readonly Stopwatch modelClock = new();
    private List<ConfigEntity> plan = [];
    private int planPosition;
    private int fittedAt = -1;

    public ModelBasedTuner(TuningTask task, int? seed = null, ModelTunerOptions? options = null) : base(task.Space, seed)
    {
        this.task = task;
        this.options = options ?? new ModelTunerOptions();
        schema = new FeatureSchema(task);
        featurizer = new ConfigFeaturizer(schema, task.Template, task.Workload, task.Space);
        model = new RankingModel(this.options.Model, seed);
        annealing = new SimulatedAnnealing(this.options.Annealing);
    }

    /// <summary>Time spent fitting the model and searching it (the tuner's own overhead, next to measuring).</summary>
    public TimeSpan ModelTime => modelClock.Elapsed;

    /// <summary>Times the model was fitted (a fit on samples with nothing to learn keeps the previous model).</summary>
    public int Fits { get; private set; }

    /// <summary>Rows of other workloads the model was warm-started with.</summary>
    public int HistoryRows => history.Count;

    /// <summary>Whether a model has been fitted (from history or own trials), so <see cref="Score"/> means something.</summary>
    public bool HasModel => model.Trees is not null;

    /// <summary>The model's score of a config of this task's space: higher is predicted faster (a rank, not a time).</summary>
    public double Score(ConfigEntity config) => model.Predict(featurizer.Featurize(config));

    public override void LoadHistory(IEnumerable<TuningRecord> records)
    {
        var spaces = new Dictionary<string, ConfigFeaturizer?>(StringComparer.Ordinal);
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (record.TaskName != task.Name || record.Target != task.Target.Text || record.Workload.Equals(task.Workload)) continue;
            if (!spaces.TryGetValue(record.Workload.Key, out var other))
            {
                try
                {
                    var sibling = TuningTask.OfRecorded(task.Template, record.Workload, task.Target);
                    other = new ConfigFeaturizer(schema, task.Template, sibling.Workload, sibling.Space);
                }
                catch (FormatException)
                {
                    other = null; // a workload this template no longer accepts: not history
                }
                spaces[record.Workload.Key] = other;
                groups[record.Workload.Key] = groups.Count + 1;
            }
            var config = other is null ? null : record.ConfigIn(other.Space);
            if (config is null) continue;
            history.Add(new RankingSample(other!.Featurize(config), Speed(record.Result), groups[record.Workload.Key]));
        }
        if (history.Count > options.MaxHistoryRows)
        {
            // Every workload keeps its newest rows, in equal shares, so one long log does not drown the others.
            var share = Math.Max(1, options.MaxHistoryRows / groups.Count);
            var kept = history.GroupBy(r => r.Group).SelectMany(g => g.TakeLast(share)).ToList();
            history.Clear();
            history.AddRange(kept);
        }
        if (history.Count >= options.MinSamplesToFit) Refit();
    }

    public override IReadOnlyList<ConfigEntity> NextBatch(int count)
    {
        var batch = new List<ConfigEntity>(count);
        var taken = new HashSet<long>();
        var replanned = false;
        while (batch.Count < count && HasNext)
        {
            ConfigEntity? config = null;
            if (model.Trees is not null && Random.NextDouble() >= options.Epsilon)
            {
                config = NextPlanned(taken);
                if (config is null && !replanned)
                {
                    Replan(taken);
                    replanned = true;
                    config = NextPlanned(taken);
                }
            }
            config ??= RandomUntried(taken);
            if (config is null) break;
            taken.Add(config.Index);
            batch.Add(config);
        }
        return batch;
    }

    public override void Update(IReadOnlyList<MeasureInput> inputs, IReadOnlyList<MeasureResult> results)
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            var config = inputs[i].Config;
            if (!ReferenceEquals(config.Space, Space)) continue;
            var speed = Speed(results[i]);
            speeds[config.Index] = speed;
            own.Add(new RankingSample(featurizer.Featurize(config), speed, 0));
        }
        var fresh = own.Count - Math.Max(fittedAt, 0);
        if ((fittedAt < 0 && own.Count + history.Count >= options.MinSamplesToFit) || fresh >= options.PlanSize) Refit();
    }

    private static double Speed(MeasureResult result) => result.IsValid && result.MeanCost > 0 ? 1.0 / result.MeanCost : 0;

    private void Refit()
    {
        modelClock.Start();
        if (model.Fit([.. history, .. own])) Fits++;
        modelClock.Stop();
        fittedAt = own.Count;
        plan = [];
        planPosition = 0;
    }

    private ConfigEntity? NextPlanned(HashSet<long> taken)
    {
        while (planPosition < plan.Count)
        {
            var config = plan[planPosition++];
            if (!IsVisited(config.Index) && !taken.Contains(config.Index)) return config;
        }
        return null;
    }

    private void Replan(HashSet<long> taken)
    {
        modelClock.Start();
        // Walkers start from the fastest configs measured so far, the rest at random.
        var starts = speeds.Where(p => p.Value > 0).OrderByDescending(p => p.Value).Take(options.Annealing.Walkers / 4)
            .Select(p => Space.Get(p.Key)).ToList();
        plan = annealing.FindMaximums((ConfigSpace)Space, c => model.Predict(featurizer.Featurize(c)), options.PlanSize,
            index => IsVisited(index) || taken.Contains(index), starts, Random).ToList();
        planPosition = 0;
        modelClock.Stop();
    }
}
