using Tessel.Selective;

namespace Tessel.Planning;

/// <summary>How many of a model's tuned ops (each occurrence) took their config from each source (<see cref="ConfigSource"/>).</summary>
public readonly record struct KernelCounts(int FromLog, int Shipped, int Similar, int Default)
{
    public KernelCounts Add(ConfigSource source) => source switch
    {
        ConfigSource.Log => this with { FromLog = FromLog + 1 },
        ConfigSource.Shipped => this with { Shipped = Shipped + 1 },
        ConfigSource.Similar => this with { Similar = Similar + 1 },
        _ => this with { Default = Default + 1 },
    };

    public int Total => FromLog + Shipped + Similar + Default;
}
