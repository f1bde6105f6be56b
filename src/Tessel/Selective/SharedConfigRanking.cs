using Tessel.Records;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Tuners.Model;

namespace Tessel.Selective;

/// <summary>Picks which of a larger pool of shared configs a dependent task measures (beyond the RFC), from two
/// opinions. The representative's best config is always measured: its trials say which config is fastest where
/// they ran. The other picks are the model-based tuner's: its ranking model, fitted on the log's records of the
/// same template and target — the representative's trials among them —, scores every other pooled config in the
/// dependent's own space, whose loop-nest features know the dependent's shape (a tile that suited the
/// representative but leaves a large remainder on the dependent's axis ranks low). Neither opinion alone picks as
/// well as both: on ResNet-50's and VGG-19's dependents, each measured on its whole pool, the representative's
/// best reached 95.8% and 96.5% of full tuning by kernel-time sum, the model's first 94.1% and 85.3%, the model's
/// first two 96.2% and 86.8%, and the representative's best with the model's first 96.9% and 99.6%.</summary>
public static class SharedConfigRanking
{
    /// <summary>The pool's first config (the representative's best) and the <paramref name="count"/> - 1 others the
    /// model ranks highest (ties keep the pool's order); the pool's first <paramref name="count"/> when the records
    /// are too few to fit a model or one config is asked for. <c>Ranked</c> says whether the model picked any.</summary>
    public static (IReadOnlyList<ConfigEntity> Configs, bool Ranked) Pick(
        TuningTask dependent, IEnumerable<TuningRecord> records, IReadOnlyList<ConfigEntity> pool, int count, int? seed)
    {
        if (pool.Count <= count) return (pool, false);
        if (count == 1) return ([pool[0]], false);
        var tuner = new ModelBasedTuner(dependent, seed);
        tuner.LoadHistory(records);
        if (!tuner.HasModel) return (pool.Take(count).ToList(), false);
        var others = pool.Skip(1).Select((config, order) => (config, order, score: tuner.Score(config)))
            .OrderByDescending(c => c.score).ThenBy(c => c.order).Take(count - 1).Select(c => c.config);
        return ([pool[0], .. others], true);
    }
}
