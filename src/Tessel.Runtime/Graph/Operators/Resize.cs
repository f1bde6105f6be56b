using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessel.Graph.Operators;

/// <summary>Resize (opsets 10-19) and Upsample (7-9) of NCHW tensors in H and W, nearest or (bi)linear, with
/// ONNX's coordinate transformation and nearest rounding modes. Output sizes come from <c>sizes</c> or from
/// floor(input * scale). Before opset 11 the mapping is asymmetric and nearest truncates, as ORT does.</summary>
public sealed class Resize(bool upsample) : IOperator
{
    public static readonly Resize Instance = new(false);
    public static readonly Resize Upsample = new(true);

    private (int[] Output, float[] Scales) Plan(OpContext c)
    {
        var input = c.Shape(0);
        if (input.Length != 4) throw c.Unsupported($"Resize of a rank-{input.Length} tensor (only NCHW)");
        float[]? scales = null;
        int[]? sizes = null;
        if (upsample) scales = c.Has(1) ? c.Constant(1) : c.Node.Attributes.TryGetValue("scales", out var s) ? (float[])s : null;
        else if (c.Opset < 11) scales = c.Constant(1);
        else
        {
            if (c.Has(3)) sizes = c.ConstantInts(3);
            else if (c.Has(2)) scales = c.Constant(2);
        }
        if (c.Node.Attributes.ContainsKey("axes")) throw c.Unsupported("Resize with axes");
        if (sizes is { Length: 4 })
            return (sizes, sizes.Select((d, i) => (float)d / input[i]).ToArray());
        if (scales is not { Length: 4 }) throw c.Unsupported("Resize needs constant scales or sizes for all 4 dims");
        if (scales[0] != 1 || scales[1] != 1) throw c.Unsupported("Resize of the batch or channel dims");
        return (input.Select((d, i) => (int)MathF.Floor(d * scales[i])).ToArray(), scales);
    }

    public int[][] InferShapes(OpContext c) => [Plan(c).Output];

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var (output, scales) = Plan(c);
        var input = c.Shape(0);
        var mode = c.Node.Attributes.TryGetValue("mode", out var m) ? (string)m : "nearest";
        var legacy = upsample || c.Opset < 11;
        var transform = legacy ? "asymmetric" : c.Node.Attributes.TryGetValue("coordinate_transformation_mode", out var t) ? (string)t : "half_pixel";
        var rounding = legacy ? "legacy" : c.Node.Attributes.TryGetValue("nearest_mode", out var r) ? (string)r : "round_prefer_floor";
        if (transform is not ("half_pixel" or "pytorch_half_pixel" or "align_corners" or "asymmetric" or "tf_half_pixel_for_nearest"))
            throw c.Unsupported($"Resize coordinate_transformation_mode '{transform}'");
        if (rounding is not ("round_prefer_floor" or "round_prefer_ceil" or "floor" or "ceil" or "legacy"))
            throw c.Unsupported($"Resize nearest_mode '{rounding}'");
        var (x, y) = (inputs[0], outputs[0]);
        int planes = input[0] * input[1], ih = input[2], iw = input[3], oh = output[2], ow = output[3];
        if (mode == "nearest")
        {
            var rows = Enumerable.Range(0, oh).Select(i => Nearest(Source(transform, i, scales[2], ih, oh), rounding, scales[2] < 1, ih)).ToArray();
            var cols = Enumerable.Range(0, ow).Select(j => Nearest(Source(transform, j, scales[3], iw, ow), rounding, scales[3] < 1, iw)).ToArray();
            return Nearest(x, y, planes, ih * iw, oh, ow, iw, rows, cols, c.Threads);
        }
        if (mode != "linear") throw c.Unsupported($"Resize mode '{mode}' (nearest and linear are supported)");
        var (y0, y1, wy) = Linear(transform, oh, ih, scales[2]);
        var (x0, x1, wx) = Linear(transform, ow, iw, scales[3]);
        return () =>
        {
            for (var p = 0; p < planes; p++)
            {
                var src = x.AsSpan(p * ih * iw, ih * iw);
                var dst = y.AsSpan(p * oh * ow, oh * ow);
                for (var i = 0; i < oh; i++)
                for (var j = 0; j < ow; j++)
                {
                    float top = src[y0[i] * iw + x0[j]] * (1 - wx[j]) + src[y0[i] * iw + x1[j]] * wx[j];
                    float bottom = src[y1[i] * iw + x0[j]] * (1 - wx[j]) + src[y1[i] * iw + x1[j]] * wx[j];
                    dst[i * ow + j] = top * (1 - wy[i]) + bottom * wy[i];
                }
            }
        };
    }

    /// <summary>Nearest resizing as row copies: an output row whose source row is the one above's is a copy of that output
    /// row; any other is gathered by column, or for a doubled width (YOLOv3's upsampling) written as each input value twice,
    /// 8 at a time. Planes are shared among the threads. A gather of every output element through an index map was 3x
    /// ONNX Runtime's time for the same node in YOLOv3.</summary>
    private static Action Nearest(float[] x, float[] y, int planes, int planeSize, int oh, int ow, int iw, int[] rows, int[] cols, int threads)
    {
        var doubled = ow == 2 * iw && cols.Select((col, j) => col == j / 2).All(same => same);
        return KernelRuntime.WorkPool.SplitRows(planes, (long)oh * ow, threads, (from, to) =>
        {
            for (var p = from; p < to; p++)
            {
                var src = x.AsSpan(p * planeSize, planeSize);
                var dst = y.AsSpan(p * oh * ow, oh * ow);
                for (var i = 0; i < oh; i++)
                {
                    var row = dst.Slice(i * ow, ow);
                    if (i > 0 && rows[i] == rows[i - 1]) dst.Slice((i - 1) * ow, ow).CopyTo(row);
                    else if (doubled) Twice(src.Slice(rows[i] * iw, iw), row);
                    else
                        for (var j = 0; j < ow; j++) row[j] = src[rows[i] * iw + cols[j]];
                }
            }
        });
    }

    /// <summary>Each value of <paramref name="source"/> twice in a row: unpacking a vector with itself gives the pairs of
    /// each 128-bit half; two cross-half permutes put them in order.</summary>
    private static void Twice(ReadOnlySpan<float> source, Span<float> into)
    {
        var i = 0;
        if (Avx.IsSupported)
        {
            ref var s = ref MemoryMarshal.GetReference(source);
            ref var d = ref MemoryMarshal.GetReference(into);
            for (; i + 8 <= source.Length; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref s, (nuint)i);
                var (low, high) = (Avx.UnpackLow(v, v), Avx.UnpackHigh(v, v));
                Vector256.StoreUnsafe(Avx.Permute2x128(low, high, 0x20), ref d, (nuint)(2 * i));
                Vector256.StoreUnsafe(Avx.Permute2x128(low, high, 0x31), ref d, (nuint)(2 * i + 8));
            }
        }
        for (; i < source.Length; i++) into[2 * i] = into[2 * i + 1] = source[i];
    }

    /// <summary>The input coordinate an output coordinate maps to.</summary>
    private static float Source(string transform, int i, float scale, int inSize, int outSize) => transform switch
    {
        "half_pixel" => (i + 0.5f) / scale - 0.5f,
        "pytorch_half_pixel" => outSize > 1 ? (i + 0.5f) / scale - 0.5f : 0,
        "align_corners" => outSize > 1 ? i * (inSize - 1) / (float)(outSize - 1) : 0,
        "asymmetric" => i / scale,
        "tf_half_pixel_for_nearest" => (i + 0.5f) / scale,
        _ => throw new NotSupportedException($"Resize coordinate_transformation_mode '{transform}'"),
    };

    private static int Nearest(float v, string rounding, bool down, int size) => Math.Clamp(rounding switch
    {
        "round_prefer_floor" => v - MathF.Floor(v) == 0.5f ? (int)MathF.Floor(v) : (int)MathF.Round(v),
        "round_prefer_ceil" => v - MathF.Floor(v) == 0.5f ? (int)MathF.Ceiling(v) : (int)MathF.Round(v),
        "floor" => (int)MathF.Floor(v),
        "ceil" => (int)MathF.Ceiling(v),
        "legacy" => down ? (int)MathF.Ceiling(v) : (int)v,
        _ => throw new NotSupportedException($"Resize nearest_mode '{rounding}'"),
    }, 0, size - 1);

    private static (int[] Low, int[] High, float[] Weight) Linear(string transform, int outSize, int inSize, float scale)
    {
        var (low, high, weight) = (new int[outSize], new int[outSize], new float[outSize]);
        for (var i = 0; i < outSize; i++)
        {
            var v = Math.Clamp(Source(transform, i, scale, inSize, outSize), 0, inSize - 1);
            low[i] = (int)MathF.Floor(v);
            high[i] = Math.Min(low[i] + 1, inSize - 1);
            weight[i] = v - low[i];
        }
        return (low, high, weight);
    }
}
