namespace Tessel.Graph.Operators;

/// <summary>One ONNX op type: the shapes of its outputs given its inputs' shapes (and constant inputs), and
/// a plain implementation over flat float buffers. The same implementation folds the shape arithmetic of
/// imported models at load time and runs every op that is not a tuned kernel at run time.</summary>
public interface IOperator
{
    /// <summary>Shapes of the node's outputs, in order (optional trailing outputs may be left out).</summary>
    int[][] InferShapes(OpContext c);

    /// <summary>An action that computes the outputs from the inputs; buffers are fixed for the action's life,
    /// so index work is done here, once.</summary>
    Action Bind(OpContext c, float[][] inputs, float[][] outputs);

    /// <summary>True when the output is the input's data unchanged under a new shape (Reshape, Flatten, ...):
    /// the runtime lets such an output share its input's buffer.</summary>
    bool IsView => false;

    /// <summary>The node in a canonical form once input shapes are known (auto_pad turned into pads).</summary>
    Node Canonical(OpContext c) => c.Node;
}
