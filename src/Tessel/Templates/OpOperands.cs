namespace Tessel.Templates;

/// <summary>An operator as <c>tune-op</c> gives it: data and kernel shapes, and the window's strides, padding
/// (top, left, bottom, right), dilation and groups, and a transposed conv's output padding; each template takes the
/// operands it has.</summary>
public sealed record OpOperands(int[] Data, int[] Kernel, int[] Strides, int[] Padding, int[] Dilation, int Groups)
{
    /// <summary>Rows and columns a transposed conv adds at its output's end.</summary>
    public int[] OutputPadding { get; init; } = [0, 0];
}
