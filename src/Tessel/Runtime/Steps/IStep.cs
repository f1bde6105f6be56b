namespace Tessel.Runtime.Steps;

/// <summary>One step of a compiled model: reads and writes buffers planned at compile time.</summary>
public interface IStep
{
    /// <summary>What the step is, for profiles: a kernel's task name or a plain op's type.</summary>
    string Kind { get; }

    void Run();
}
