using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Templates.Conv2d;
using Tessel.Templates.Dense;
using Tessel.Workloads;

namespace Tessel.Tests.Selective;

public class SimilarityTests
{
    private static TuningTask Conv(int c, int hw, int oc, int k) => new(Conv2dNchwTemplate.Instance,
        Conv2dNchwTemplate.Workload([1, c, hw, hw], [oc, c, k, k], [1, 1], [k / 2, k / 2, k / 2, k / 2], [1, 1], 1), Target.Host);

    private static readonly int[] Channels = [8, 16, 24, 32, 64];
    private static readonly int[] Sizes = [7, 14, 28, 56];

    private static TuningTask RandomConv(int seed)
    {
        var r = new Random(seed);
        return Conv(Channels[r.Next(Channels.Length)], Sizes[r.Next(Sizes.Length)], Channels[r.Next(Channels.Length)], r.Next(2) * 2 + 1);
    }

    [Property(MaxTest = 60)]
    public bool Similarity_is_symmetric_bounded_and_one_with_itself(int seedA, int seedB)
    {
        var a = RandomConv(seedA);
        var b = RandomConv(seedB);
        foreach (var definition in new[] { SimilarityDefinition.KnobProduct, SimilarityDefinition.SpaceJaccard })
        {
            var ab = SimilarityRate.Compute(a, b, definition);
            var ba = SimilarityRate.Compute(b, a, definition);
            if (Math.Abs(ab - ba) > 1e-12 || ab is < 0 or > 1 + 1e-12) return false;
            if (Math.Abs(SimilarityRate.Compute(a, a, definition) - 1) > 1e-12) return false;
        }
        return true;
    }

    [Fact]
    public void Tasks_of_different_templates_have_similarity_zero()
    {
        var dense = new TuningTask(DenseTemplate.Instance, DenseTemplate.Workload([1, 64], [64, 64]), Target.Host);
        Assert.Equal(0, SimilarityRate.Compute(Conv(64, 56, 64, 3), dense));
    }

    [Fact]
    public void Knob_product_is_the_product_of_per_knob_jaccard_indices()
    {
        // Same channels, spatial 56 vs 28: tile_ow {1..16} both (max 16); tile_oh {1..56} vs {1..28} -> 28/56.
        var a = Conv(64, 56, 64, 3);
        var b = Conv(64, 28, 64, 3);
        Assert.Equal(0.5, SimilarityRate.Compute(a, b), 12);
        // Two knobs differ (tile_oh {1..56} vs {1..28}, tile_ic {1..64} vs {1..32}): their product, 0.25, where a
        // minimum over knobs would give 0.5.
        Assert.Equal(0.25, SimilarityRate.Compute(a, Conv(32, 28, 64, 3)), 12);
        // The whole-space Jaccard index of the same pair: |Sa ∩ Sb| / |Sa ∪ Sb| = Sb / Sa, as Sb ⊂ Sa.
        Assert.Equal((double)b.Space.Size / a.Space.Size, SimilarityRate.Compute(a, b, SimilarityDefinition.SpaceJaccard), 9);
    }
}
