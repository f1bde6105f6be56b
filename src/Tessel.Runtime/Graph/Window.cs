namespace Tessel.Graph;

/// <summary>Sliding-window arithmetic shared by convolutions and pools.</summary>
public static class Window
{
    /// <summary>Output extent of a window of <paramref name="kernel"/> taps, dilated, sliding with
    /// <paramref name="stride"/> over <paramref name="size"/> plus <paramref name="pads"/> (both sides together).</summary>
    public static int Output(int size, int kernel, int stride, int pads, int dilation = 1, bool ceil = false)
    {
        var span = size + pads - dilation * (kernel - 1) - 1;
        return (ceil ? (span + stride - 1) / stride : span / stride) + 1;
    }
}
