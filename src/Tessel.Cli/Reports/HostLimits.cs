using Tessel.Measure;
using Tessel.Runtime.Artifacts;

namespace Tessel.Cli.Reports;

/// <summary>This machine's limits, measured when the report is written: the FMA peak and the memory read bandwidth at
/// the report's threads, the two roofs of the roofline.</summary>
public sealed record HostLimits(string Cpu, int Threads, double PeakGflops, double BandwidthGBs)
{
    public static HostLimits Measure(int threads) =>
        new(HostCpu.Describe(), threads, FmaPeak.Measure(threads), MemoryBandwidth.Measure(threads));

    /// <summary>The GFLOP/s a kernel of this arithmetic intensity can reach at most: the lower roof.</summary>
    public double Roof(double intensity) => Math.Min(PeakGflops, BandwidthGBs * intensity);
}
