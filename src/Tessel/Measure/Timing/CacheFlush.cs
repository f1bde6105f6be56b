using System.Globalization;

namespace Tessel.Measure.Timing;

/// <summary>Evicts the CPU caches before a timed call (AutoTVM's <c>enable_cpu_cache_flush</c>, done there by
/// flushing the kernel's arguments): it reads through a buffer twice the size of the last-level cache, one load per
/// cache line, so the call finds its input, its weights (the packed copy inside the kernel too) and its output in
/// memory, as a layer inside a model whose weights exceed the cache does. The read is not timed. Another core's
/// private caches (a parallel kernel's pool threads) are not reached.</summary>
public sealed class CacheFlush
{
    private const int LongsPerLine = 64 / sizeof(long);
    private readonly long[] buffer;
    private long sink;

    public CacheFlush(long lastLevelCacheBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lastLevelCacheBytes, 1);
        buffer = new long[2 * lastLevelCacheBytes / sizeof(long) + LongsPerLine];
        Array.Fill(buffer, 1); // commits the pages now, not in the first flush
    }

    private static readonly Lazy<CacheFlush> ThisMachine = new(() => new CacheFlush(LastLevelCacheBytes()));

    /// <summary>One flush buffer per process, sized from this machine's last-level cache.</summary>
    public static CacheFlush ForThisMachine => ThisMachine.Value;

    public long Bytes => buffer.LongLength * sizeof(long);

    public void Run()
    {
        long sum = 0;
        for (long i = 0; i < buffer.LongLength; i += LongsPerLine) sum += buffer[i];
        sink += sum;
    }

    /// <summary>The largest cache the CPU of <paramref name="cacheDirectory"/> reports (Linux sysfs:
    /// <c>index*/size</c>, e.g. "32768K"); 32 MiB where it reports none.</summary>
    public static long LastLevelCacheBytes(string cacheDirectory = "/sys/devices/system/cpu/cpu0/cache")
    {
        const long fallback = 32L << 20;
        if (!Directory.Exists(cacheDirectory)) return fallback;
        var sizes = Directory.GetDirectories(cacheDirectory, "index*")
            .Select(d => Path.Combine(d, "size"))
            .Select(f => File.Exists(f) ? ParseSize(File.ReadAllText(f).Trim()) : 0)
            .Where(size => size > 0).ToList();
        return sizes.Count > 0 ? sizes.Max() : fallback;
    }

    /// <summary>"32768K", "1M", "512": bytes; 0 where the text is none of these.</summary>
    public static long ParseSize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        var (digits, scale) = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => (text[..^1], 1L << 10),
            'M' => (text[..^1], 1L << 20),
            'G' => (text[..^1], 1L << 30),
            _ => (text, 1L),
        };
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n * scale : 0;
    }
}
