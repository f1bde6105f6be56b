namespace Tessel.Kernels;

/// <summary>A 2-D transposed convolution's extents: NCHW data, weight [OC, C / Groups, KH, KW] (output channels first,
/// not flipped), output [N, OC, OH, OW]; output pixel <c>oy</c> sums input rows <c>iy</c> with
/// <c>iy * StrideH - PadTop + ky * DilationH = oy</c>.</summary>
public readonly record struct ConvTransposeShape(
    int N, int C, int H, int W, int OC, int KH, int KW, int StrideH, int StrideW,
    int PadTop, int PadLeft, int DilationH, int DilationW, int Groups, int OH, int OW);
