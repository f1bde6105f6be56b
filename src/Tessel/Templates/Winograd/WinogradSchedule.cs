using Tessel.Spaces;

namespace Tessel.Templates.Winograd;

/// <summary>A Winograd config's knob values, read once.</summary>
public sealed record WinogradSchedule(int M, int TileOc, int TileP, VectorWidth Width)
{
    public static WinogradSchedule From(ConfigEntity c) => new(
        (int)c.Get<ChoiceValue>("tile_m").AsLong(), c.Tile("tile_oc"), (int)c.Get<ChoiceValue>("tile_p").AsLong(), VectorWidth.Of(c));
}
