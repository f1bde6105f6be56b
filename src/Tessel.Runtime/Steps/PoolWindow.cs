namespace Tessel.Runtime.Steps;

/// <summary>A 2-D pooling window over one plane: the input and output extents, kernel, strides and pads (top, left,
/// bottom, right), max or average, and whether an average counts the padding. Its extents per row and column are
/// <c>PoolGeometry.Spans</c>, shared with the NCHW pool.</summary>
public sealed record PoolWindow(
    bool Max, int InputHeight, int InputWidth, int OutputHeight, int OutputWidth, int[] Kernel, int[] Strides, int[] Pads, bool CountIncludePad);
