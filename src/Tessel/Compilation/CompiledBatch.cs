namespace Tessel.Compilation;

/// <summary>The outcome of compiling many kernels together: one assembly image holding every kernel
/// that compiled, and the compiler's message for each one that did not.</summary>
public sealed record CompiledBatch(byte[]? Image, IReadOnlyDictionary<string, string> Errors, TimeSpan Elapsed)
{
    public bool Compiled(string className) => Image is not null && !Errors.ContainsKey(className);
}
