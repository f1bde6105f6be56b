namespace Tessel.Templates.Conv2dTranspose;

/// <summary>One axis of a transposed conv cut into stride phases: output positions <c>o = phase + stride * q</c> take
/// only the taps <c>k</c> with <c>(phase + pad - k * dilation) % stride == 0</c>, each from input position
/// <c>q + offset</c>. So every phase is a small direct conv over the input at stride 1 with no zeros inserted, and
/// no multiply-add lands on a zero (the zero-insertion form wastes <c>1 - 1 / stride</c> of them per axis).</summary>
public sealed class StridePhases
{
    /// <param name="size">The input's extent.</param>
    /// <param name="output">The output's extent.</param>
    public StridePhases(int size, int kernel, int stride, int padBegin, int dilation, int output)
    {
        Stride = stride;
        var taps = new List<(int, int)>[stride];
        Counts = new int[stride];
        int before = 0, after = 0;
        for (var phase = 0; phase < stride; phase++)
        {
            taps[phase] = [];
            Counts[phase] = phase < output ? (output - 1 - phase) / stride + 1 : 0;
            for (var k = 0; k < kernel; k++)
            {
                var shift = phase + padBegin - k * dilation;
                if (((shift % stride) + stride) % stride != 0) continue;
                var offset = shift / stride;
                taps[phase].Add((k, offset));
                if (Counts[phase] == 0) continue;
                before = Math.Max(before, -offset);
                after = Math.Max(after, Counts[phase] - 1 + offset - (size - 1));
            }
        }
        Taps = taps;
        PadBefore = before;
        PadAfter = after;
    }

    public int Stride { get; }

    /// <summary>Per phase, its taps: the kernel index and the input offset from <c>q</c>.</summary>
    public IReadOnlyList<IReadOnlyList<(int Kernel, int Offset)>> Taps { get; }

    /// <summary>Output positions per phase.</summary>
    public int[] Counts { get; }

    /// <summary>Zeros the input needs before its first and after its last position so that every tap reads inside.</summary>
    public int PadBefore { get; }

    public int PadAfter { get; }
}
