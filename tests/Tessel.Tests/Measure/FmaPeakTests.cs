using Tessel.Measure;

namespace Tessel.Tests.Measure;

public class FmaPeakTests
{
    [Fact]
    public void The_measured_peak_is_a_plausible_figure()
    {
        var peak = FmaPeak.Measure(1);
        // A real vector FMA unit does well over one GFLOP/s; a figure above 1e4 would mean the loop was optimised away.
        Assert.InRange(peak, 1, 10_000);
        Assert.Throws<ArgumentOutOfRangeException>(() => FmaPeak.Measure(0));
    }
}
