using Tessel.Spaces;

namespace Tessel.Templates.Depthwise;

/// <summary>A depthwise config's knob values, read once.</summary>
public sealed record DepthwiseSchedule(int TileC, int TileOh, int TileOw, bool RowsOuter, bool UnrollKw, VectorWidth Width)
{
    public static DepthwiseSchedule From(ConfigEntity c) => new(
        c.Tile("tile_c"), c.Tile("tile_oh"), c.Tile("tile_ow"),
        c.Get<ReorderValue>("order").Order[0] == 0,
        c.Get<AnnotateValue>("unroll_kw").Annotations[0] == "unroll",
        VectorWidth.Of(c));
}
