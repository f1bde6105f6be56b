namespace Tessel.Compilation;

/// <summary>C# source of one kernel class, named by <see cref="ClassName"/> (unique within a compilation).</summary>
public sealed record KernelSource(string ClassName, string Source);
