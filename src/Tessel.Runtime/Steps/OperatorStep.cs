namespace Tessel.Runtime.Steps;

/// <summary>A plain op (anything that is not a tuned kernel), bound to its buffers by its
/// <see cref="Graph.Operators.IOperator"/>.</summary>
public sealed class OperatorStep(Action run) : IStep
{
    public void Run() => run();
}
