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
        return () =>
        {
            for (var p = 0; p < planes; p++)
            {
                var src = x.AsSpan(p * h * w, h * w);
                for (var oy = 0; oy < oh; oy++)
                for (var ox = 0; ox < ow; ox++)
                {
                    int y0 = oy * strides[0] - pads[0], x0 = ox * strides[1] - pads[1];
                    int y1 = Math.Min(y0 + kernel[0], h + pads[2]), x1 = Math.Min(x0 + kernel[1], w + pads[3]);
                    var padded = (y1 - y0) * (x1 - x0);
                    int ya = Math.Max(y0, 0), xa = Math.Max(x0, 0), yb = Math.Min(y1, h), xb = Math.Min(x1, w);
                    float acc = max ? float.NegativeInfinity : 0;
                    for (var iy = ya; iy < yb; iy++)
                    {
                        var row = iy * w;
                        for (var ix = xa; ix < xb; ix++) acc = max ? Math.Max(acc, src[row + ix]) : acc + src[row + ix];
                    }
                    y[(p * oh + oy) * ow + ox] = max ? acc : acc / (countPad ? padded : (yb - ya) * (xb - xa));
                }
            }
        };
    }
}
