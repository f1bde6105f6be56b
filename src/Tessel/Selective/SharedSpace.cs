using Tessel.Spaces;

namespace Tessel.Selective;

/// <summary>Schedule sharing as a space: the representative's best configs, mapped into the dependent
/// task's own space, best first. An ordinary tuner (grid) searches it; the tuner knows nothing of selection.</summary>
public sealed class SharedSpace(IReadOnlyList<ConfigEntity> configs) : ISearchSpace
{
    public IReadOnlyList<ConfigEntity> Configs { get; } = configs;

    public long Size => Configs.Count;

    public ConfigEntity Get(long index) => Configs[checked((int)index)];

    /// <summary>This space led by <paramref name="start"/> (a zero-trial start, measured first), its size kept: a dependent's
    /// budget is its depend mode's count, so a start config not shared already takes the last shared config's place.</summary>
    public SharedSpace LedBy(IReadOnlyList<ConfigEntity> start) =>
        start.Count == 0 ? this : new SharedSpace(start.Concat(Configs).DistinctBy(c => c.Index).Take(Configs.Count).ToList());
}
