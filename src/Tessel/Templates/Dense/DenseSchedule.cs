using Tessel.Spaces;

namespace Tessel.Templates.Dense;

/// <summary>A dense config's knob values, read once.</summary>
public sealed record DenseSchedule(int TileM, int TileN, int TileK, bool VecM, bool UnrollK, bool Parallel, VectorWidth Width)
{
    public static DenseSchedule From(ConfigEntity c) => new(
        c.Tile("tile_m"), c.Tile("tile_n"), c.Tile("tile_k"),
        c.Choice("vec") == "m",
        c.Get<AnnotateValue>("unroll_k").Annotations[0] == "unroll",
        c.Get<AnnotateValue>("parallel").Annotations[0] == "parallel",
        VectorWidth.Of(c));
}
