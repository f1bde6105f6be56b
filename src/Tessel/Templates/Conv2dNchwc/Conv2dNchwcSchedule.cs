using Tessel.Spaces;
using Tessel.Templates.Conv2d;

namespace Tessel.Templates.Conv2dNchwc;

/// <summary>A blocked conv config's knob values, read once. The channel block is <see cref="BlockVectors"/>
/// vectors of <see cref="Width"/>: 8 or 16 channels at 256 bits, 16 or 32 at 512.</summary>
public sealed record Conv2dNchwcSchedule(int BlockVectors, int OcVectors, int TileOw, int TileOh, int TileIc, IReadOnlyList<string> Order, bool UnrollKw, string Parallel, VectorWidth Width)
{
    public int Block => BlockVectors * Width.Lanes;

    /// <summary>The input's block: the output's, except for an image's few channels (at most 4), which stay NCHW
    /// rather than be padded to a whole block.</summary>
    public int InputBlock(Conv2dParams p) => p.C <= 4 ? 1 : Block;

    public static Conv2dNchwcSchedule From(ConfigEntity c) => new(
        int.Parse(c.Choice("block_vectors"), System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(c.Choice("tile_oc"), System.Globalization.CultureInfo.InvariantCulture),
        c.Tile("tile_ow"), c.Tile("tile_oh"), c.Tile("tile_ic"),
        c.Get<ReorderValue>("order").Order.Select(i => Conv2dNchwTemplate.OuterAxes[i]).ToArray(),
        c.Get<AnnotateValue>("unroll_kw").Annotations[0] == "unroll",
        c.Get<AnnotateValue>("parallel").Annotations[0] == "parallel" ? "oc" : "oh",
        VectorWidth.Of(c));
}
