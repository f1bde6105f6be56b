using Tessel.Spaces;

namespace Tessel.Tuners;

/// <summary>Configs in index order. Schedule sharing searches its small list of shared configs this way.</summary>
public sealed class GridTuner(ISearchSpace space) : Tuner(space, seed: 0)
{
    private long next;

    public override IReadOnlyList<ConfigEntity> NextBatch(int count)
    {
        var batch = new List<ConfigEntity>(count);
        for (; next < Space.Size && batch.Count < count; next++)
            if (!IsVisited(next)) batch.Add(Space.Get(next));
        return batch;
    }

    public override bool HasNext => base.HasNext && next < Space.Size;
}
