using Tessel.Measure;

namespace Tessel.IntegrationTests.Measure;

/// <summary>Timed reads: alone on the cores (in the unit suite, other tests' threads took the cache-sized read down to
/// main memory's rate).</summary>
[Collection(SerialCollection.Name)]
public class MemoryBandwidthTests
{
    /// <summary>An array that fits one core's L2 cache reads faster than one past every cache (a dozen GB/s or more on a
    /// server core, several times that from L2); both within what a core can do at all. A read the JIT had dropped, or a
    /// size ignored, would not tell them apart.</summary>
    [Fact]
    public void A_cache_sized_array_reads_faster_than_main_memory()
    {
        var memory = MemoryBandwidth.Measure(1);
        var cache = MemoryBandwidth.Measure(1, 256 << 10);
        Assert.InRange(memory, 1, 1000);
        Assert.InRange(cache, 1, 4000);
        Assert.True(cache > memory, $"256 KiB read at {cache:F1} GB/s, 128 MiB at {memory:F1}");
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryBandwidth.Measure(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryBandwidth.Measure(1, 100));
    }
}
