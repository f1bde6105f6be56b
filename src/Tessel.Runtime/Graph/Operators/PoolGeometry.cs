namespace Tessel.Graph.Operators;

/// <summary>Where each output row's window lies in one NCHW plane, what an average divides by along each axis, and the
/// scratch row the column pass reads: the reduced input row with <see cref="PadLeft"/> identity values before it and
/// enough after it that every output column, edge ones included, is computed by vector code in blocks of 8
/// (<see cref="Blocks"/>). In the scratch row output column ox's window starts at stride * ox.</summary>
internal sealed record PoolGeometry(int Height, int Width, int OutHeight, int OutWidth, int KernelWidth, int StrideWidth, int PadLeft,
    int[] RowStart, int[] RowEnd, float[] RowScale, float[] ColumnScale, int Blocks, int ScratchLength)
{
    /// <summary>For each output position along one axis: the input range its window covers, and 1 / the count an
    /// average divides by along this axis (padding included when <paramref name="countPad"/>).</summary>
    public static (int[] Start, int[] End, float[] Scale) Spans(int outputs, int stride, int padBefore, int kernel, int size, int padAfter, bool countPad)
    {
        var (start, end, scale) = (new int[outputs], new int[outputs], new float[outputs]);
        for (var o = 0; o < outputs; o++)
        {
            var first = o * stride - padBefore;
            var last = Math.Min(first + kernel, size + padAfter);
            (start[o], end[o]) = (Math.Max(first, 0), Math.Min(last, size));
            scale[o] = 1f / Math.Max(1, countPad ? last - first : end[o] - start[o]);
        }
        return (start, end, scale);
    }

    public static PoolGeometry Of(int h, int w, int oh, int ow, int[] kernel, int[] strides, int[] pads, bool countPad)
    {
        var (_, _, colScale) = Spans(ow, strides[1], pads[1], kernel[1], w, pads[3], countPad);
        var (rowStart, rowEnd, rowScale) = Spans(oh, strides[0], pads[0], kernel[0], h, pads[2], countPad);
        var blocks = (ow + 7) / 8;
        // The furthest scratch column a pass reads (exclusive): stride 1 loads 8 columns per tap; stride 2 loads 16
        // per pair of taps, from the even tap; other strides go column by column.
        var reach = strides[1] switch
        {
            1 => 8 * blocks + kernel[1] - 1,
            2 => 16 * blocks + ((kernel[1] - 1) & ~1),
            _ => strides[1] * (ow - 1) + kernel[1],
        };
        var columnScale = new float[8 * blocks];
        colScale.CopyTo(columnScale, 0);
        return new PoolGeometry(h, w, oh, ow, kernel[1], strides[1], pads[1], rowStart, rowEnd, rowScale, columnScale, blocks, Math.Max(pads[1] + w, reach));
    }
}
