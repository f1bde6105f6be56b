using Tessel.Spaces;

namespace Tessel.Templates.DepthwiseNchwc;

/// <summary>A blocked depthwise config's knob values, read once. The channel block is <see cref="BlockVectors"/>
/// vectors of <see cref="Width"/>, as the blocked conv's, so the two can hand tensors to each other unconverted.</summary>
public sealed record DepthwiseNchwcSchedule(int BlockVectors, int TileOw, int TileOh, VectorWidth Width)
{
    public int Block => BlockVectors * Width.Lanes;

    public static DepthwiseNchwcSchedule From(ConfigEntity c) => new(
        int.Parse(c.Choice("block_vectors"), System.Globalization.CultureInfo.InvariantCulture),
        c.Tile("tile_ow"), c.Tile("tile_oh"), VectorWidth.Of(c));
}
