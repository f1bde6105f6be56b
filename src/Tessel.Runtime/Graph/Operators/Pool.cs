namespace Tessel.Graph.Operators;

/// <summary>MaxPool and AveragePool over NCHW (ceil mode, pads, count_include_pad for the average), and the
/// global forms, which are a window the size of the input.</summary>
public sealed class Pool(bool max, bool global) : IOperator
{
    public static readonly Pool MaxPool = new(true, false);
    public static readonly Pool AveragePool = new(false, false);
    public static readonly Pool GlobalMaxPool = new(true, true);
    public static readonly Pool GlobalAveragePool = new(false, true);

    private WindowAttributes Window(OpContext c)
    {
        if (global) return WindowAttributes.Of(c, [c.Shape(0)[2], c.Shape(0)[3]]) with { Strides = [1, 1], Pads = [0, 0, 0, 0], Dilations = [1, 1] };
        var window = WindowAttributes.Of(c, c.Node.Ints("kernel_shape", []));
        if (window.Kernel.Length != 2) throw c.Unsupported("pool without a 2-D kernel_shape");
        if (window.Dilations.Any(d => d != 1)) throw c.Unsupported("dilated pooling");
        return window;
    }

    public Node Canonical(OpContext c) => global ? c.Node : Window(c).Apply(c.Node);

    public int[][] InferShapes(OpContext c)
    {
        var input = c.Shape(0);
        var w = Window(c);
        var ceil = c.Node.Int("ceil_mode", 0) == 1;
        return [[input[0], input[1], w.OutputHeight(input[2], ceil), w.OutputWidth(input[3], ceil)]];
    }

    public Action Bind(OpContext c, float[][] inputs, float[][] outputs)
    {
        var input = c.Shape(0);
        var output = InferShapes(c)[0];
        var (kernel, strides, pads, _) = Window(c);
        var countPad = c.Node.Int("count_include_pad", 0) == 1;
        int planes = input[0] * input[1], h = input[2], w = input[3], oh = output[2], ow = output[3];
        var (x, y) = (inputs[0], outputs[0]);
        if (oh == 1 && ow == 1 && kernel[0] == h && kernel[1] == w && pads.All(p => p == 0))
            // A global pool: one vectorised reduction per plane.
            return () =>
            {
                for (var p = 0; p < planes; p++)
                {
                    var plane = x.AsSpan(p * h * w, h * w);
                    y[p] = max ? System.Numerics.Tensors.TensorPrimitives.Max(plane) : System.Numerics.Tensors.TensorPrimitives.Sum(plane) / (h * w);
                }
            };
        // Windows are rectangles, so pooling is separable: first reduce each output row's window of input rows (vector ops
        // on whole contiguous rows), then reduce that row over each output column's window. The columns' pass reduces every
        // run of kernel-width neighbours with vector ops too (kernel - 1 shifted passes), so a whole window is one load: the
        // scalar pass picks every stride-th run, and only windows the padding cuts short loop over their taps.
        var (colStart, colEnd, colScale) = Spans(ow, strides[1], pads[1], kernel[1], w, pads[3], countPad);
        var (rowStart, rowEnd, rowScale) = Spans(oh, strides[0], pads[0], kernel[0], h, pads[2], countPad);
        var runs = Math.Max(0, w - kernel[1] + 1);
        // Planes are independent: with several threads each takes a contiguous share, with its own row scratch.
        var shares = Math.Min(c.Threads, planes);
        var scratch = Enumerable.Range(0, shares).Select(_ => (Row: new float[w], Runs: new float[runs])).ToArray();
        Action<int> share = s => Planes(s * planes / shares, (s + 1) * planes / shares, scratch[s].Row, scratch[s].Runs);
        return shares == 1 ? () => Planes(0, planes, scratch[0].Row, scratch[0].Runs) : () => KernelRuntime.WorkPool.For(shares, shares, share);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        void Planes(int from, int to, float[] row, float[] run)
        {
            for (var p = from; p < to; p++)
            for (var oy = 0; oy < oh; oy++)
            {
                var first = x.AsSpan((p * h + rowStart[oy]) * w, w);
                first.CopyTo(row);
                for (var iy = rowStart[oy] + 1; iy < rowEnd[oy]; iy++)
                {
                    var next = x.AsSpan((p * h + iy) * w, w);
                    if (max) System.Numerics.Tensors.TensorPrimitives.Max(row, next, row);
                    else System.Numerics.Tensors.TensorPrimitives.Add(row, next, row);
                }
                if (runs > 0)
                {
                    row.AsSpan(0, runs).CopyTo(run);
                    for (var k = 1; k < kernel[1]; k++)
                        if (max) System.Numerics.Tensors.TensorPrimitives.Max(run, row.AsSpan(k, runs), run);
                        else System.Numerics.Tensors.TensorPrimitives.Add(run, row.AsSpan(k, runs), run);
                }
                var dst = y.AsSpan((p * oh + oy) * ow, ow);
                if (max) MaxColumns(row, run, kernel[1], dst, colStart, colEnd);
                else
                {
                    SumColumns(row, run, kernel[1], dst, colStart, colEnd);
                    System.Numerics.Tensors.TensorPrimitives.Multiply(dst, colScale, dst);
                    System.Numerics.Tensors.TensorPrimitives.Multiply(dst, rowScale[oy], dst);
                }
            }
        }
    }

    // One loop per reduction, with no branch on which; MaxNative is one maxss, where a compare and select was a branch that
    // post-ReLU data (half zeros, at random) mispredicted every other tap (4x slower in DenseNet-121 than on smooth data).
    private static void MaxColumns(ReadOnlySpan<float> row, ReadOnlySpan<float> run, int kernel, Span<float> dst, int[] start, int[] end)
    {
        for (var ox = 0; ox < dst.Length; ox++)
        {
            if (end[ox] - start[ox] == kernel) { dst[ox] = run[start[ox]]; continue; }
            var acc = float.NegativeInfinity;
            for (var ix = start[ox]; ix < end[ox]; ix++) acc = float.MaxNative(acc, row[ix]);
            dst[ox] = acc;
        }
    }

    private static void SumColumns(ReadOnlySpan<float> row, ReadOnlySpan<float> run, int kernel, Span<float> dst, int[] start, int[] end)
    {
        for (var ox = 0; ox < dst.Length; ox++)
        {
            if (end[ox] - start[ox] == kernel) { dst[ox] = run[start[ox]]; continue; }
            var acc = 0f;
            for (var ix = start[ox]; ix < end[ox]; ix++) acc += row[ix];
            dst[ox] = acc;
        }
    }

    /// <summary>For each output position along one axis: the input range its window covers, and 1 / the count an
    /// average divides by along this axis (padding included when <paramref name="countPad"/>).</summary>
    private static (int[] Start, int[] End, float[] Scale) Spans(int outputs, int stride, int padBefore, int kernel, int size, int padAfter, bool countPad)
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
}
