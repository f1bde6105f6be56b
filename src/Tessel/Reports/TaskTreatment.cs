namespace Tessel.Reports;

/// <summary>How a task of a selective run was tuned, as far as its trials tell.</summary>
public enum TreatmentKind
{
    /// <summary>No trial: the model runs the template's default config.</summary>
    NotTuned,
    /// <summary>A representative (or a task of a full run): searched with its whole budget.</summary>
    TunedInFull,
    /// <summary>A dependent that tried only its representative's best schedules.</summary>
    Shared,
    /// <summary>A dependent that tried its representative's best schedules and then searched on.</summary>
    Refined,
}

/// <summary>A task's treatment and the sentence that says it (how many configs were shared, from whom, mapped how).</summary>
public sealed record TaskTreatment(TreatmentKind Kind, string Text);
