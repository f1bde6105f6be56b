namespace Tessel.Kernels;

/// <summary>A 2-D convolution's extents: NCHW data, weight [OC, C / Groups, KH, KW], output [N, OC, OH, OW]. A
/// depthwise conv is the grouped one with <c>Groups = C</c>.</summary>
public readonly record struct ConvShape(
    int N, int C, int H, int W, int OC, int KH, int KW, int StrideH, int StrideW,
    int PadTop, int PadLeft, int DilationH, int DilationW, int Groups, int OH, int OW);
