using Tessel.Tasks;

namespace Tessel.Measure;

/// <summary>A kernel's weight against this machine's read bandwidth at the same thread count: a kernel that reads its
/// weights once a call (a dense layer at batch 1, a matrix-vector product) can go no faster than reading them.
/// <see cref="MemoryGBs"/> reads 128 MiB (main memory); <see cref="CacheGBs"/> an array of the weight's size again and
/// again, as the tuner times a kernel (warm): where the weight fits the last-level cache, that cache's bandwidth is the
/// roof of the timed kernel, and main memory's that of the layer met cold inside a large model.</summary>
public sealed record WeightRead(int Threads, long WeightBytes, double MemoryGBs, double CacheGBs)
{
    public static WeightRead Measure(TuningTask task, int threads)
    {
        var bytes = task.Template.Shapes(task.Workload).WeightElements * sizeof(float);
        return new WeightRead(threads, bytes, MemoryBandwidth.Measure(threads), MemoryBandwidth.Measure(threads, Math.Max(bytes, 4096)));
    }

    /// <summary>The weight's bytes over a call's seconds, in GB/s.</summary>
    public double Achieved(double seconds) => WeightBytes / seconds / 1e9;
}
