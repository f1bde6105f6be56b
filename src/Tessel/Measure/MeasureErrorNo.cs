namespace Tessel.Measure;

/// <summary>Why a trial failed. Persisted in records: the numbers are AutoTVM's and never change.</summary>
public enum MeasureErrorNo
{
    NoError = 0,
    /// <summary>The template could not emit a kernel for this config.</summary>
    InstantiationError = 1,
    /// <summary>The C# compiler rejected the generated source.</summary>
    CompileHost = 2,
    CompileDevice = 3,
    /// <summary>The kernel threw or crashed its worker process.</summary>
    RuntimeDevice = 4,
    /// <summary>The kernel's output differs from the naive reference.</summary>
    WrongAnswer = 5,
    BuildTimeout = 6,
    /// <summary>The kernel did not finish within the run timeout.</summary>
    RunTimeout = 7,
    UnknownError = 8,
}
