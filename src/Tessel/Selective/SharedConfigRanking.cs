using Tessel.Records;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Tuners.Model;

namespace Tessel.Selective;

/// <summary>Picks which of a larger pool of shared configs a dependent task measures (beyond the RFC): the
/// model-based tuner's ranking model, fitted on the log's records of the same template and target — its
/// representative's trials among them —, scores every pooled config in the dependent's own space, whose
/// loop-nest features know the dependent's shape. A tile that suited the representative but leaves a large
/// remainder on the dependent's axis ranks low, so the same number of trials buys better configs.</summary>
public static class SharedConfigRanking
{
    /// <summary>The <paramref name="count"/> configs of <paramref name="pool"/> the model ranks highest (ties keep
    /// the pool's order, the representative's best first); the pool's first <paramref name="count"/> when the
    /// records are too few to fit a model. <c>Ranked</c> says which of the two happened.</summary>
    public static (IReadOnlyList<ConfigEntity> Configs, bool Ranked) Pick(
        TuningTask dependent, IEnumerable<TuningRecord> records, IReadOnlyList<ConfigEntity> pool, int count, int? seed)
    {
        if (pool.Count <= count) return (pool, false);
        var tuner = new ModelBasedTuner(dependent, seed);
        tuner.LoadHistory(records);
        if (!tuner.HasModel) return (pool.Take(count).ToList(), false);
        var picked = pool.Select((config, order) => (config, order, score: tuner.Score(config)))
            .OrderByDescending(c => c.score).ThenBy(c => c.order).Take(count).Select(c => c.config).ToList();
        return (picked, true);
    }
}
