namespace Tessel.Spaces;

/// <summary>What a tuner searches: an indexable set of configs. A template's full
/// <see cref="ConfigSpace"/> is one; a list of shared schedules (selective tuning) is another.</summary>
public interface ISearchSpace
{
    long Size { get; }

    ConfigEntity Get(long index);
}
