namespace Tessel.Selective;

/// <summary>How the similarity rate of two tasks is computed.</summary>
public enum SimilarityDefinition
{
    /// <summary>The RFC's own (PR #4187): the product over knobs of the per-knob Jaccard index of the
    /// two knobs' candidate sets; 0 when the templates or the knob names differ.</summary>
    KnobProduct,

    /// <summary>The Jaccard index of the two whole spaces, |Sa ∩ Sb| / |Sa ∪ Sb|, computed exactly.</summary>
    SpaceJaccard,
}
