using System.Globalization;
using Tessel.Spaces;

namespace Tessel.Tuners.Model;

/// <summary>The features of one knob value, named so that the same knob of another workload lands in the
/// same columns: a split gives the log2 of each inner tile, of the outer trip count and whether a
/// remainder tile exists; a reorder the position of each axis; an annotation and a string choice a one-hot
/// column per value; a numeric choice its number.</summary>
public static class KnobFeatures
{
    public static IEnumerable<(string Name, double Value)> Of(Knob knob, KnobValue value)
    {
        switch (knob, value)
        {
            case (SplitKnob split, SplitValue tiles):
                for (var j = 0; j < tiles.InnerSizes.Count; j++)
                    yield return ($"{knob.Name}.inner{tiles.InnerSizes.Count - 1 - j}", Math.Log2(tiles.InnerSizes[j]));
                var product = tiles.Product;
                yield return ($"{knob.Name}.log2_outer", Math.Log2((split.Extent + product - 1) / product));
                yield return ($"{knob.Name}.remainder", split.Extent % product == 0 ? 0 : 1);
                break;
            case (ReorderKnob reorder, ReorderValue order):
                for (var position = 0; position < order.Order.Count; position++)
                    yield return ($"{knob.Name}.pos.{reorder.Axes[order.Order[position]]}", position);
                break;
            case (AnnotateKnob annotate, AnnotateValue annotations):
                for (var axis = 0; axis < annotations.Annotations.Count; axis++)
                    yield return ($"{knob.Name}.{annotate.Axes[axis]}={annotations.Annotations[axis]}", 1);
                break;
            case (_, ChoiceValue choice):
                var text = choice.AsString();
                yield return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? (knob.Name, number)
                    : ($"{knob.Name}={text}", 1);
                break;
            default:
                throw new ArgumentException($"knob '{knob.Name}' of kind {knob.Kind} has no features for {value}");
        }
    }
}
