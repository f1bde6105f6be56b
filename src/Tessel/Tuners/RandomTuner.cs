using Tessel.Spaces;

namespace Tessel.Tuners;

/// <summary>Uniform random configs, never repeating one.</summary>
public sealed class RandomTuner(ISearchSpace space, int? seed = null) : Tuner(space, seed)
{
    public override IReadOnlyList<ConfigEntity> NextBatch(int count)
    {
        var batch = new List<ConfigEntity>(count);
        var taken = new HashSet<long>();
        while (batch.Count < count && HasNext)
        {
            var config = RandomUntried(taken);
            if (config is null) break;
            taken.Add(config.Index);
            batch.Add(config);
        }
        return batch;
    }
}
