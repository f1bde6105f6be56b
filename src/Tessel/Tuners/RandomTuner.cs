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
            var config = Pick(taken);
            if (config is null) break;
            taken.Add(config.Index);
            batch.Add(config);
        }
        return batch;
    }

    private ConfigEntity? Pick(HashSet<long> taken)
    {
        // Rejection sampling is cheap while most of the space is untried; then scan from a random point.
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var config = Space.Get(Random.NextInt64(Space.Size));
            if (!IsVisited(config.Index) && !taken.Contains(config.Index)) return config;
        }
        var start = Random.NextInt64(Space.Size);
        for (long step = 0; step < Space.Size; step++)
        {
            var config = Space.Get((start + step) % Space.Size);
            if (!IsVisited(config.Index) && !taken.Contains(config.Index)) return config;
        }
        return null;
    }
}
