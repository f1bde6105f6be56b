using Tessel.Templates.Conv2d;
using Tessel.Templates;

namespace Tessel.Templates.Winograd;

/// <summary>The loop nest a Winograd config generates, in the cost model's terms: the product step's
/// register tile is tile_p tiles x tile_oc channels (channel vectors, tile values broadcast); a cache
/// block is the transformed weights of a channel tile for one of the alpha^2 positions with its tile rows.</summary>
internal static class WinogradLoopNest
{
    public static LoopNestFeatures Describe(Conv2dParams p, WinogradSchedule s)
    {
        var lanes = s.Width.Lanes;
        var alpha = s.M + 2;
        var tiles = (p.OH + s.M - 1) / s.M * ((p.OW + s.M - 1) / s.M);
        int toc = Math.Min(s.TileOc, p.OC), tp = Math.Min(s.TileP, tiles);
        var vectors = (toc + lanes - 1) / lanes;
        var accumulators = vectors * tp;
        double weightBytes = 4.0 * toc * p.C, tileBytes = 4.0 * tp * p.C, outputBytes = 4.0 * tp * toc;
        var block = weightBytes + tileBytes + outputBytes;
        var flops = 2.0 * toc * tp * p.C;
        return new LoopNestFeatures(
            lanes, accumulators, s.Width.Bits >= 512 ? 32 : 16,
            FmasPerLoad: (double)accumulators / (vectors + tp),
            InnermostStride: 1,
            BlockBytes: block, Intensity: flops / block,
            ParallelExtent: (double)alpha * alpha * ((p.OC + toc - 1) / toc),
            LaneUse: (double)toc / (vectors * lanes));
    }
}
