namespace Tessel.Runtime.Steps;

/// <summary>One step of a compiled model: reads and writes buffers planned at compile time.</summary>
public interface IStep
{
    void Run();
}
