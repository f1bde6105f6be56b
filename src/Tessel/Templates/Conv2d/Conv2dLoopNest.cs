using Tessel.Templates;

namespace Tessel.Templates.Conv2d;

/// <summary>The loop nest a direct conv config generates, in the cost model's terms
/// (<see cref="LoopNestFeatures"/>): the register tile is tile_oc x tile_ow with one of them in vectors;
/// a work item is one tile of the parallel axis; a cache block is a tile_ic chunk of the weights of a
/// channel tile with the input rows and outputs of a tile_oh row block.</summary>
internal static class Conv2dLoopNest
{
    public static LoopNestFeatures Describe(Conv2dParams p, Conv2dSchedule s)
    {
        var lanes = s.Width.Lanes;
        var registers = s.Width.Bits >= 512 ? 32 : 16;
        int toc = Math.Min(s.TileOc, p.OCPerGroup), tow = Math.Min(s.TileOw, p.OW);
        int toh = Math.Min(s.TileOh, p.OH), tic = Math.Min(s.TileIc, p.ICPerGroup);
        var vectorised = s.VecOc ? toc : tow;
        var broadcast = s.VecOc ? tow : toc;
        var vectors = (vectorised + lanes - 1) / lanes;
        var accumulators = vectors * broadcast;
        double weightBytes = 4.0 * toc * tic * p.KH * p.KW;
        double inputBytes = 4.0 * tic * ((toh - 1) * p.StrideH + (p.KH - 1) * p.DilationH + 1) * (p.W + p.PadLeft + p.PadRight);
        double outputBytes = 4.0 * toc * toh * p.OW;
        var block = weightBytes + inputBytes + outputBytes;
        var flops = 2.0 * toc * toh * p.OW * tic * p.KH * p.KW;
        var items = (double)p.N * p.Groups * (s.Parallel == "oc" ? (p.OCPerGroup + toc - 1) / toc : (p.OH + toh - 1) / toh);
        return new LoopNestFeatures(
            lanes, accumulators, registers,
            FmasPerLoad: (double)accumulators / (vectors + broadcast),
            InnermostStride: s.VecOc ? 1 : p.StrideW,
            BlockBytes: block, Intensity: flops / block, ParallelExtent: items,
            LaneUse: (double)vectorised / (vectors * lanes));
    }
}
