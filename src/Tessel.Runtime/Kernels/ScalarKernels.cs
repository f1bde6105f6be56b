using Tessel.Layouts;

namespace Tessel.Kernels;

/// <summary>The plain computations, compiled once: the templates' references check every kernel against them, and an
/// emitted kernel falls back to them where its vector width has no hardware (a 512-bit kernel on an AVX2 host).
/// Sums accumulate in double, so they are the exact side of every comparison.</summary>
public static unsafe class ScalarKernels
{
    /// <summary>output = conv(data, weight) in NCHW. Each output is summed in the naive order (input channel, kernel row,
    /// kernel column), but a plane at a time, taps outermost: a tap adds its weight times a run of input to a run of
    /// sums, reading memory in order; planes go to every core. (One sum at a time re-read the input plane for every output:
    /// ResNet-50's references took 10 s of a 107-s run of 1,440 trials.)</summary>
    public static void Conv2d(ReadOnlySpan<float> data, ReadOnlySpan<float> weight, Span<float> output, ConvShape s)
    {
        if (data.Length < (long)s.N * s.C * s.H * s.W || weight.Length < (long)s.OC * (s.C / s.Groups) * s.KH * s.KW || output.Length < (long)s.N * s.OC * s.OH * s.OW)
            throw new ArgumentException($"tensors too small for {s}");
        fixed (float* d = data, w = weight, o = output)
        {
            var (dataAt, weightAt, outputAt) = ((nint)d, (nint)w, (nint)o);
            Parallel.For(0, s.N * s.OC, plane => Conv2dPlane((float*)dataAt, (float*)weightAt, (float*)outputAt, s, plane / s.OC, plane % s.OC));
        }
    }

    private static void Conv2dPlane(float* data, float* weight, float* output, ConvShape s, int n, int oc)
    {
        int icg = s.C / s.Groups, g = oc / (s.OC / s.Groups);
        var sums = new double[s.OH * s.OW];
        for (var ic = 0; ic < icg; ic++)
        {
            var plane = data + (long)(n * s.C + g * icg + ic) * s.H * s.W;
            for (var kh = 0; kh < s.KH; kh++)
            for (var kw = 0; kw < s.KW; kw++)
            {
                double tap = weight[((oc * icg + ic) * s.KH + kh) * s.KW + kw];
                // The output columns whose input column falls inside the row: 0 <= x * stride - pad + kw * dilation < W.
                var shift = kw * s.DilationW - s.PadLeft;
                int x0 = Math.Max(0, CeilDiv(-shift, s.StrideW)), x1 = Math.Min(s.OW, FloorDiv(s.W - 1 - shift, s.StrideW) + 1);
                for (var y = 0; y < s.OH; y++)
                {
                    var iy = y * s.StrideH - s.PadTop + kh * s.DilationH;
                    if (iy < 0 || iy >= s.H) continue;
                    var row = plane + (long)iy * s.W + shift;
                    var at = y * s.OW;
                    for (var x = x0; x < x1; x++) sums[at + x] += tap * row[x * s.StrideW];
                }
            }
        }
        var outputPlane = output + (long)(n * s.OC + oc) * s.OH * s.OW;
        for (var i = 0; i < sums.Length; i++) outputPlane[i] = (float)sums[i];
    }

    private static int CeilDiv(int a, int b) => a <= 0 ? -(-a / b) : (a + b - 1) / b;

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    /// <summary>output = conv_transpose(data, weight) in NCHW, the weight output channels first.</summary>
    public static void ConvTranspose2d(ReadOnlySpan<float> data, ReadOnlySpan<float> weight, Span<float> output, ConvTransposeShape s)
    {
        int icg = s.C / s.Groups, ocg = s.OC / s.Groups;
        var sums = new double[s.OH * s.OW];
        for (var n = 0; n < s.N; n++)
        for (var oc = 0; oc < s.OC; oc++)
        {
            Array.Clear(sums);
            var g = oc / ocg;
            for (var ic = 0; ic < icg; ic++)
            for (var iy = 0; iy < s.H; iy++)
            for (var kh = 0; kh < s.KH; kh++)
            {
                var y = iy * s.StrideH - s.PadTop + kh * s.DilationH;
                if (y < 0 || y >= s.OH) continue;
                for (var ix = 0; ix < s.W; ix++)
                {
                    var value = (double)data[((n * s.C + g * icg + ic) * s.H + iy) * s.W + ix];
                    for (var kw = 0; kw < s.KW; kw++)
                    {
                        var x = ix * s.StrideW - s.PadLeft + kw * s.DilationW;
                        if (x >= 0 && x < s.OW) sums[y * s.OW + x] += value * weight[((oc * icg + ic) * s.KH + kh) * s.KW + kw];
                    }
                }
            }
            for (var i = 0; i < sums.Length; i++) output[(n * s.OC + oc) * s.OH * s.OW + i] = (float)sums[i];
        }
    }

    /// <summary>output [N, M] = data [N, K] x weight [M, K] transposed.</summary>
    public static void Dense(ReadOnlySpan<float> data, ReadOnlySpan<float> weight, Span<float> output, int n, int k, int m)
    {
        for (var i = 0; i < n; i++)
        for (var j = 0; j < m; j++)
        {
            double sum = 0;
            for (var l = 0; l < k; l++) sum += (double)data[i * k + l] * weight[j * k + l];
            output[i * m + j] = (float)sum;
        }
    }

    /// <summary>A conv kernel's fallback: its tensors in <paramref name="layout"/>'s channel blocks (plain NCHW where
    /// null), every output value passed through <paramref name="epilogue"/> (value, output channel) where given.</summary>
    public static void Conv2d(float* data, float* weight, float* output, ConvShape s, KernelLayout? layout, Func<float, int, float>? epilogue)
    {
        var input = new float[(long)s.N * s.C * s.H * s.W];
        var result = new float[(long)s.N * s.OC * s.OH * s.OW];
        fixed (float* i = input) ChannelBlocks.Convert(data, layout?.InputBlock ?? 1, i, 1, s.N, s.C, s.H * s.W);
        Conv2d(input, new ReadOnlySpan<float>(weight, s.OC * (s.C / s.Groups) * s.KH * s.KW), result, s);
        Finish(result, output, s.N, s.OC, s.OH * s.OW, layout?.OutputBlock ?? 1, epilogue);
    }

    /// <summary>A transposed conv kernel's fallback, as <see cref="Conv2d(float*, float*, float*, ConvShape, KernelLayout?, Func{float, int, float}?)"/>'s.</summary>
    public static void ConvTranspose2d(float* data, float* weight, float* output, ConvTransposeShape s, KernelLayout? layout, Func<float, int, float>? epilogue)
    {
        var input = new float[(long)s.N * s.C * s.H * s.W];
        var result = new float[(long)s.N * s.OC * s.OH * s.OW];
        fixed (float* i = input) ChannelBlocks.Convert(data, layout?.InputBlock ?? 1, i, 1, s.N, s.C, s.H * s.W);
        ConvTranspose2d(input, new ReadOnlySpan<float>(weight, s.OC * (s.C / s.Groups) * s.KH * s.KW), result, s);
        Finish(result, output, s.N, s.OC, s.OH * s.OW, layout?.OutputBlock ?? 1, epilogue);
    }

    /// <summary>A dense kernel's fallback, every output value passed through <paramref name="epilogue"/> (value, output unit).</summary>
    public static void Dense(float* data, float* weight, float* output, int n, int k, int m, Func<float, int, float>? epilogue)
    {
        var result = new float[n * m];
        Dense(new ReadOnlySpan<float>(data, n * k), new ReadOnlySpan<float>(weight, m * k), result, n, k, m);
        Finish(result, output, n, m, 1, 1, epilogue);
    }

    private static void Finish(float[] nchw, float* output, int batch, int channels, int plane, int block, Func<float, int, float>? epilogue)
    {
        if (epilogue is not null)
            for (var i = 0; i < nchw.Length; i++) nchw[i] = epilogue(nchw[i], i / plane % channels);
        fixed (float* r = nchw) ChannelBlocks.Convert(r, 1, output, block, batch, channels, plane);
    }
}
