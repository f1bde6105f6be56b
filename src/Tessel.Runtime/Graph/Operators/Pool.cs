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
        var geometry = PoolGeometry.Of(h, w, oh, ow, kernel, strides, pads, countPad);
        if (PoolPlane.FitsSmallPlanes(geometry, kernel, strides, pads))
            // Small planes: each thread's share of planes as one run of row pairs.
            return KernelRuntime.WorkPool.SplitRows(planes, (long)h * w, c.Threads, (from, to) =>
            {
                Span<float> pairs = stackalloc float[64 * w];
                var share = x.AsSpan(from * h * w, (to - from) * h * w);
                var into = y.AsSpan(from * oh * ow, (to - from) * oh * ow);
                if (max) PoolPlane.SmallPlanes<MaxReduction>(share, into, w, pairs);
                else PoolPlane.SmallPlanes<SumReduction>(share, into, w, pairs);
            });
        // Planes are independent: with several threads each takes a contiguous share, with its own row scratch.
        return KernelRuntime.WorkPool.SplitRows(planes, (long)h * w, c.Threads, (from, to) =>
        {
            Span<float> row = geometry.ScratchLength <= 4096 ? stackalloc float[geometry.ScratchLength] : new float[geometry.ScratchLength];
            for (var p = from; p < to; p++)
            {
                var plane = x.AsSpan(p * h * w, h * w);
                var dst = y.AsSpan(p * oh * ow, oh * ow);
                if (max) PoolPlane.Run<MaxReduction>(plane, dst, geometry, row);
                else PoolPlane.Run<SumReduction>(plane, dst, geometry, row);
            }
        });
    }
}
