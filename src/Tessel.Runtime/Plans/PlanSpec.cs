namespace Tessel.Runtime.Plans;

/// <summary>A model planned to run: its steps in order, the activation buffers they share (lengths; every tensor a
/// step reads or writes maps to one, views and reused buffers included) and the kernels the steps call. Tensors not
/// in <see cref="Buffers"/> are constants. It is the whole plan, with no trace of the graph or the logs it came
/// from: what <c>tessel build</c> writes and <see cref="PlanBinder"/> runs.</summary>
/// <param name="Threads">the threads the plan was chosen for</param>
/// <param name="Opset">the ONNX opset the plain ops are written for</param>
/// <param name="Offsets">where in its buffer each tensor that does not start at 0 starts (elements): a concat's part that
/// a kernel writes in place; null where there is none (and in artifacts written before there were any)</param>
public sealed record PlanSpec(
    string Model,
    int Threads,
    int Opset,
    TensorInfo[] Inputs,
    TensorInfo[] Outputs,
    int[] BufferLengths,
    Dictionary<string, int> Buffers,
    StepSpec[] Steps,
    KernelSpec[] Kernels,
    Dictionary<string, int>? Offsets = null);
