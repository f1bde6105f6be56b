using Tessel.Spaces;

namespace Tessel.Selective;

/// <summary>Schedule sharing as a space: the representative's best configs, mapped into the dependent
/// task's own space, best first. An ordinary tuner (grid) searches it; the tuner knows nothing of selection.</summary>
public sealed class SharedSpace(IReadOnlyList<ConfigEntity> configs) : ISearchSpace
{
    public IReadOnlyList<ConfigEntity> Configs { get; } = configs;

    public long Size => Configs.Count;

    public ConfigEntity Get(long index) => Configs[checked((int)index)];
}
