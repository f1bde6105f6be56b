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
            var index = Pick(taken);
            if (index < 0) break;
            taken.Add(index);
            batch.Add(Space.Get(index));
        }
        return batch;
    }

    private long Pick(HashSet<long> taken)
    {
        // Rejection sampling is cheap while most of the space is untried; then scan from a random point.
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var index = Random.NextInt64(Space.Size);
            if (!IsVisited(index) && !taken.Contains(index)) return index;
        }
        var start = Random.NextInt64(Space.Size);
        for (long step = 0; step < Space.Size; step++)
        {
            var index = (start + step) % Space.Size;
            if (!IsVisited(index) && !taken.Contains(index)) return index;
        }
        return -1;
    }
}
