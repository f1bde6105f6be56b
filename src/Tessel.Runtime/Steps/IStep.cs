namespace Tessel.Runtime.Steps;

/// <summary>One step of a compiled model: reads and writes buffers planned at compile time. What it is
/// (for profiles) is its <see cref="StepLabel"/>.</summary>
public interface IStep
{
    void Run();
}
