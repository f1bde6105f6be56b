namespace Tessel.Templates;

/// <summary>An operator as <c>tune-op</c> gives it: data and kernel shapes, and the window's strides, padding
/// (top, left, bottom, right), dilation and groups; each template takes the operands it has.</summary>
public sealed record OpOperands(int[] Data, int[] Kernel, int[] Strides, int[] Padding, int[] Dilation, int Groups);
