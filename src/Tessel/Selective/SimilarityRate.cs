using System.Numerics;
using Tessel.Spaces;
using Tessel.Tasks;

namespace Tessel.Selective;

/// <summary>The similarity rate SM(a, b) in [0, 1]: "the ratio of tuning space overlap between two tasks".
/// Two tasks of different templates (task names) or with different knob names have nothing in common: 0.
/// Otherwise each knob contributes the Jaccard index |A ∩ B| / |A ∪ B| of its two sets of whole candidate
/// values (a split candidate is its whole tile tuple, a reorder its permutation, an annotation its tuple,
/// a choice its value), and:
/// <list type="bullet">
/// <item><see cref="SimilarityDefinition.KnobProduct"/> multiplies them (the RFC's definition);</item>
/// <item><see cref="SimilarityDefinition.SpaceJaccard"/> takes the Jaccard index of the product spaces:
/// |Sa ∩ Sb| = Π |A_k ∩ B_k| and |Sa ∪ Sb| = |Sa| + |Sb| - |Sa ∩ Sb|, in big integers.</item>
/// </list></summary>
public static class SimilarityRate
{
    public static double Compute(TuningTask a, TuningTask b, SimilarityDefinition definition = SimilarityDefinition.KnobProduct) =>
        a.Name != b.Name ? 0 : Compute(a.Space, b.Space, definition);

    public static double Compute(ConfigSpace a, ConfigSpace b, SimilarityDefinition definition = SimilarityDefinition.KnobProduct)
    {
        if (!a.Knobs.Select(k => k.Name).SequenceEqual(b.Knobs.Select(k => k.Name), StringComparer.Ordinal)) return 0;
        var intersections = new long[a.Knobs.Count];
        for (var k = 0; k < a.Knobs.Count; k++)
        {
            var left = a.Knobs[k];
            var right = b.Knobs[k];
            intersections[k] = left.Candidates.Count(v => right.IndexOf(v) >= 0);
        }
        if (definition == SimilarityDefinition.KnobProduct)
        {
            var product = 1.0;
            for (var k = 0; k < intersections.Length; k++)
            {
                var union = a.Knobs[k].Count + b.Knobs[k].Count - intersections[k];
                product *= (double)intersections[k] / union;
            }
            return product;
        }
        BigInteger sizeA = 1, sizeB = 1, common = 1;
        for (var k = 0; k < intersections.Length; k++)
        {
            sizeA *= a.Knobs[k].Count;
            sizeB *= b.Knobs[k].Count;
            common *= intersections[k];
        }
        return Ratio(common, sizeA + sizeB - common);
    }

    /// <summary>num / den for big integers, exact enough in double for any size.</summary>
    private static double Ratio(BigInteger numerator, BigInteger denominator)
    {
        if (numerator.IsZero) return 0;
        return Math.Exp(BigInteger.Log(numerator) - BigInteger.Log(denominator));
    }
}
