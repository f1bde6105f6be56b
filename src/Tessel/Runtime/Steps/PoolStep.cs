namespace Tessel.Runtime.Steps;

/// <summary>Max or average pooling over NCHW with kernel, strides, pads (top, left, bottom, right) and
/// ceil mode; the average counts padding only when <c>count_include_pad</c> says so (ONNX default: no).
/// A global average pool is a window the size of the input.</summary>
public sealed class PoolStep(float[] input, float[] output, int[] inShape, int[] outShape, int[] kernel, int[] strides, int[] pads, bool max, bool countPad) : IStep
{
    public string Kind => max ? "MaxPool" : "AveragePool";

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Run()
    {
        int planes = inShape[0] * inShape[1], h = inShape[2], w = inShape[3], oh = outShape[2], ow = outShape[3];
        for (var p = 0; p < planes; p++)
        {
            var src = input.AsSpan(p * h * w, h * w);
            for (var y = 0; y < oh; y++)
            for (var x = 0; x < ow; x++)
            {
                int y0 = y * strides[0] - pads[0], x0 = x * strides[1] - pads[1];
                int y1 = Math.Min(y0 + kernel[0], h + pads[2]), x1 = Math.Min(x0 + kernel[1], w + pads[3]);
                var padded = (y1 - y0) * (x1 - x0);
                int ya = Math.Max(y0, 0), xa = Math.Max(x0, 0), yb = Math.Min(y1, h), xb = Math.Min(x1, w);
                float acc = max ? float.NegativeInfinity : 0;
                for (var iy = ya; iy < yb; iy++)
                for (var ix = xa; ix < xb; ix++)
                    acc = max ? Math.Max(acc, src[iy * w + ix]) : acc + src[iy * w + ix];
                output[(p * oh + y) * ow + x] = max ? acc : acc / (countPad ? padded : (yb - ya) * (xb - xa));
            }
        }
    }
}
