namespace Tessel.Runtime.Steps;

/// <summary>A plain op (anything that is not a tuned kernel), bound to its buffers by its
/// <see cref="Graph.Operators.IOperator"/>.</summary>
public sealed class OperatorStep(string kind, Action run) : IStep
{
    public string Kind => kind;

    public void Run() => run();
}
