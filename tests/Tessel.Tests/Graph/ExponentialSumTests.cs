using Tessel.Graph.Operators;

namespace Tessel.Tests.Graph;

/// <summary>Softmax's vector exponential against double-precision exp, over the whole float range it maps: within 3e-7
/// relative (about 2 ulp) where the result is a normal float, 0 where it would be subnormal, the largest finite power
/// at the top instead of +inf, and the sum it returns equal to the sum of what it stored.</summary>
public sealed class ExponentialSumTests
{
    [Fact]
    public void Each_value_is_exp_within_two_ulp()
    {
        // 16-lane blocks (where 512-bit vectors run), an 8-lane block and a scalar tail: 40,011 = 16 x 2,500 + 8 + 3.
        var x = Enumerable.Range(0, 40_011).Select(i => -87f + 175f * i / 40_010).ToArray();
        var y = new float[x.Length];
        ExponentialSum.Of(x, 1.5f, y);
        var worst = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            var exact = Math.Exp(x[i] - 1.5f); // the difference rounded to float as the kernel rounds it
            if (exact < 1.2e-38) continue; // subnormal: flushed, below
            worst = Math.Max(worst, Math.Abs(y[i] - exact) / exact);
        }
        Assert.InRange(worst, 0, 3e-7);
    }

    [Fact]
    public void The_sum_is_the_sum_of_the_stored_values()
    {
        var x = Enumerable.Range(0, 1_001).Select(i => -20f + 40f * i / 1_000).ToArray();
        var y = new float[x.Length];
        var sum = ExponentialSum.Of(x, 20f, y);
        Assert.Equal(y.Sum(v => (double)v), sum, y.Sum(v => (double)v) * 1e-5);
    }

    [Fact]
    public void A_subnormal_exponential_is_0_and_the_top_stays_finite()
    {
        float[] x = [-200f, -104f, -89f, -88.5f, 89f, 100f, 300f, 1000f];
        var y = new float[x.Length];
        ExponentialSum.Of(x, 0, y);
        Assert.All(y.Take(4), v => Assert.Equal(0f, v));
        Assert.All(y.Skip(4), v => Assert.True(float.IsFinite(v) && v > 1e38f, $"{v}"));
    }

    [Fact]
    public void With_no_output_it_only_sums()
    {
        float[] x = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(10f, ExponentialSum.Of(x, 0, default), 5);
    }
}
