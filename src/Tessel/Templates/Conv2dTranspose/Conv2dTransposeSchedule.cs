using System.Globalization;
using Tessel.Spaces;
using Tessel.Templates.Conv2d;

namespace Tessel.Templates.Conv2dTranspose;

/// <summary>A transposed conv config's knob values, read once. <see cref="Blocked"/>: the kernel reads and writes
/// NCHW[b]c with a block of <see cref="BlockVectors"/> vectors; else NCHW, its stores scattered to the channel planes.
/// <see cref="TileRows"/>: output rows of one phase per register tile (2: each weight vector loaded serves twice the columns).</summary>
public sealed record Conv2dTransposeSchedule(bool Blocked, int BlockVectors, int OcVectors, int TileOw, int TileRows, int TileOh, int TileIc,
    IReadOnlyList<string> Order, string Parallel, VectorWidth Width)
{
    public int Block => Blocked ? BlockVectors * Width.Lanes : 1;

    /// <summary>The input's block: the output's, except for an image's few channels (at most 4), which stay NCHW.</summary>
    public int InputBlock(Conv2dTransposeParams p) => !Blocked || p.C <= 4 ? 1 : Block;

    public static Conv2dTransposeSchedule From(ConfigEntity c) => new(
        c.Choice("layout") == "nchwc",
        int.Parse(c.Choice("block_vectors"), CultureInfo.InvariantCulture),
        int.Parse(c.Choice("tile_oc"), CultureInfo.InvariantCulture),
        c.Tile("tile_ow"), int.Parse(c.Choice("tile_rows"), CultureInfo.InvariantCulture), c.Tile("tile_oh"), c.Tile("tile_ic"),
        c.Get<ReorderValue>("order").Order.Select(i => Conv2dNchwTemplate.OuterAxes[i]).ToArray(),
        c.Get<AnnotateValue>("parallel").Annotations[0] == "parallel" ? "oc" : "oh",
        VectorWidth.Of(c));
}
