using Tessel.Spaces;

namespace Tessel.Tuners;

/// <summary>Configs in the search space's order. Schedule sharing searches its list of shared configs
/// (best first) this way.</summary>
public sealed class GridTuner(ISearchSpace space) : Tuner(space, seed: 0)
{
    private long next;

    public override IReadOnlyList<ConfigEntity> NextBatch(int count)
    {
        var batch = new List<ConfigEntity>(count);
        for (; next < Space.Size && batch.Count < count; next++)
        {
            var config = Space.Get(next);
            if (!IsVisited(config.Index)) batch.Add(config);
        }
        return batch;
    }

    public override bool HasNext => base.HasNext && next < Space.Size;
}
