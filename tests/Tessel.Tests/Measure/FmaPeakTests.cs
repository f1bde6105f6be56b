using Tessel.Measure;

namespace Tessel.Tests.Measure;

public class FmaPeakTests
{
    /// <summary>One core's FMA peak lies between what the slowest host Tessel runs on reaches (an AVX2 host at about
    /// 40 GFLOP/s a thread; a loaded one at half that) and what a 512-bit core could at most (two FMA units, 32 flops
    /// each per cycle, at 6 GHz: 384 GFLOP/s). A loop the JIT had removed, or one of scalar FMAs, falls outside.</summary>
    [Fact]
    public void One_cores_measured_peak_is_that_of_a_vector_fma_unit()
    {
        var peak = FmaPeak.Measure(1);
        Assert.InRange(peak, 15, 384);
        Assert.Throws<ArgumentOutOfRangeException>(() => FmaPeak.Measure(0));
    }
}
