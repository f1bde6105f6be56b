namespace Tessel.Runtime.Steps;

/// <summary>A 2-D pooling window over one plane: the input and output extents, kernel, strides and pads (top, left,
/// bottom, right), max or average, and whether an average counts the padding.</summary>
public sealed record PoolWindow(
    bool Max, int InputHeight, int InputWidth, int OutputHeight, int OutputWidth, int[] Kernel, int[] Strides, int[] Pads, bool CountIncludePad)
{
    /// <summary>The input rows output row <paramref name="oy"/>'s window covers, clamped to the input.</summary>
    public (int From, int To) Rows(int oy) => Clamp(oy * Strides[0] - Pads[0], Kernel[0], InputHeight);

    /// <summary>The input columns output column <paramref name="ox"/>'s window covers, clamped to the input.</summary>
    public (int From, int To) Columns(int ox) => Clamp(ox * Strides[1] - Pads[1], Kernel[1], InputWidth);

    /// <summary>What an average at (<paramref name="oy"/>, <paramref name="ox"/>) divides by: the taps inside the input,
    /// or with <see cref="CountIncludePad"/> the taps inside the padded input.</summary>
    public int Count(int y0, int y1, int x0, int x1, int oy, int ox)
    {
        if (!CountIncludePad) return Math.Max(1, (y1 - y0) * (x1 - x0));
        int Padded(int start, int kernel, int size, int padAfter) => Math.Min(start + kernel, size + padAfter) - start;
        return Math.Max(1, Padded(oy * Strides[0] - Pads[0], Kernel[0], InputHeight, Pads[2]) * Padded(ox * Strides[1] - Pads[1], Kernel[1], InputWidth, Pads[3]));
    }

    private static (int, int) Clamp(int start, int kernel, int size) => (Math.Max(start, 0), Math.Min(start + kernel, size));
}
