using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Templates.Conv2d;
using Tessel.Workloads;

namespace Tessel.Tests.Tuners.Model;

/// <summary>A stand-in cost for conv2d configs, for tests of the cost model only (nothing is built or run):
/// a fixed function of the schedule with its optimum at 32 channels x 8 columns, channel vectors, a
/// reduction chunk of 64 and 512-bit vectors, so the model's job is known.</summary>
public static class SyntheticConvCost
{
    public static double Seconds(ConfigEntity config)
    {
        var s = Conv2dSchedule.From(config);
        return 1e-3 * (1
            + Math.Abs(Math.Log2(s.TileOc) - 5)
            + Math.Abs(Math.Log2(s.TileOw) - 3)
            + 0.4 * Math.Abs(Math.Log2(s.TileIc) - 6)
            + (s.VecOc ? 0 : 1.5)
            + (s.Width.Bits == 512 ? 0 : 0.8)
            + (s.UnrollKw ? 0 : 0.2));
    }

    public static TuningTask Task(int channels = 128, int size = 28) =>
        new(Conv2dNchwTemplate.Instance,
            Conv2dNchwTemplate.Workload([1, channels, size, size], [channels, channels, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1),
            new Target("tessel-cpu -isa=avx512"));
}
