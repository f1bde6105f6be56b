using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading.Tasks;

// depthwise N=1 C=144 H=56 W=56 M=1 K=3x3 s=2,2 p=1,1,1,1 d=1,1 | nchw16c tile_ow=9 tile_oh=3 interior columns [1, 28) vec_bits=512
[SkipLocalsInit]
public sealed unsafe class depthwise_conv2d_nchwc_1 : Tessel.Kernels.IKernel
{
    const int N = 1, C = 144, OC = C, H = 56, W = 56, KH = 3, KW = 3;
    const int SH = 2, SW = 2, DH = 1, DW = 1, PT = 1, PL = 1;
    const int OH = 28, OW = 28, V = 16, R = 1, B = 16, CB = (C + B - 1) / B;
    const int XRS = W * B, XPS = H * XRS, ORS = OW * B, OPS = OH * ORS, KK = KH * KW * B;
    const int TOH = 3, NOHT = (OH + TOH - 1) / TOH, CL = 1, CR = 28;

    public Tessel.Layouts.KernelLayout? Layout { get; } = new(N, C, H * W, B, C, OH * OW, B);

    float[] wArr, wOrigArr;
    float* wp, wo;
    int threads;
    // The current call's tensors, for the parallel items: a delegate made once, not a closure per call.
    float* cx, co;
    Action<int> workItem;

    public void Prepare(ReadOnlySpan<float> weight, int threads)
    {
        if (weight.Length != C * KH * KW) throw new ArgumentException("weight has " + weight.Length + " elements, expected " + (C * KH * KW));
        this.threads = Math.Max(1, threads);
        workItem = WorkItem;
        wOrigArr = GC.AllocateArray<float>(weight.Length, pinned: true);
        weight.CopyTo(wOrigArr);
        wo = (float*)Unsafe.AsPointer(ref wOrigArr[0]);
        wArr = GC.AllocateArray<float>(CB * KK, pinned: true);
        wp = (float*)Unsafe.AsPointer(ref wArr[0]);
        for (int c = 0; c < C; c++)
        for (int k = 0; k < KH * KW; k++)
            wp[(c / B) * KK + k * B + c % B] = weight[c * KH * KW + k];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(float* data, float* output)
    {
        if (!Vector512.IsHardwareAccelerated) { Scalar(data, output); return; }
        const int total = N * CB * NOHT;
        if (threads == 1) { for (int i = 0; i < total; i++) Work(i, data, output); return; }
        cx = data; co = output;
        Tessel.KernelRuntime.WorkPool.For(total, threads, workItem);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void WorkItem(int i) => Work(i, cx, co);

    // Work item: (image, channel block, tile of output rows).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Work(int i, float* x, float* o)
    {
        int nc = i / NOHT, ohS = (i % NOHT) * TOH, ohE = Math.Min(OH, ohS + TOH);
        float* xb = x + (long)nc * XPS;
        float* w = wp + (nc % CB) * KK;
        float* ob = o + (long)nc * OPS;
        for (int y = ohS; y < ohE; y++) Row(xb, w, ob, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Row(float* xb, float* w, float* ob, int y)
    {
        // The kernel rows whose input row exists: iy0 + kh * DH in [0, H).
        int iy0 = y * SH - PT;
        int khLo = iy0 >= 0 ? 0 : (-iy0 + DH - 1) / DH, khHi = Math.Min(KH, (H - iy0 + DH - 1) / DH);
        float* x = xb + (long)iy0 * XRS;
        float* o = ob + (long)y * ORS;
        for (int ox = 0; ox < CL; ox++) Edge(x, w, o, ox, khLo, khHi);
        for (int ox = CL; ox < 28; ox += 9) Tile9(x + (ox * SW - PL) * B, w, o + ox * B, khLo, khHi);
        for (int ox = CR; ox < OW; ox++) Edge(x, w, o, ox, khLo, khHi);
    }

    // One output column whose window crosses the input's left or right border: each kw checked.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Edge(float* x, float* w, float* o, int ox, int khLo, int khHi)
    {
        for (int r = 0; r < R; r++)
        {
            var a = Vector512<float>.Zero;
            for (int kh = khLo; kh < khHi; kh++)
            for (int kw = 0; kw < KW; kw++)
            {
                int ix = ox * SW - PL + kw * DW;
                if ((uint)ix < W) a = F(Vector512.Load(x + (long)kh * DH * XRS + ix * B + r * V), Vector512.Load(w + (kh * KW + kw) * B + r * V), a);
            }
            Vector512.Store(a, o + ox * B + r * V);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Tile9(float* x, float* w, float* o, int khLo, int khHi)
    {
        Vector512<float> a0_0 = default, a0_1 = default, a0_2 = default, a0_3 = default, a0_4 = default, a0_5 = default, a0_6 = default, a0_7 = default, a0_8 = default;
        Vector512<float> v;
        for (int kh = khLo; kh < khHi; kh++)
        {
            float* xk = x + (long)kh * (DH * XRS);
            float* wk = w + kh * (KW * B);
            var w0_0 = Vector512.Load(wk + 0);
            var w0_1 = Vector512.Load(wk + 16);
            var w0_2 = Vector512.Load(wk + 32);
            v = Vector512.Load(xk + 0); a0_0 = F(v, w0_0, a0_0);
            v = Vector512.Load(xk + 16); a0_0 = F(v, w0_1, a0_0);
            v = Vector512.Load(xk + 32); a0_0 = F(v, w0_2, a0_0); a0_1 = F(v, w0_0, a0_1);
            v = Vector512.Load(xk + 48); a0_1 = F(v, w0_1, a0_1);
            v = Vector512.Load(xk + 64); a0_1 = F(v, w0_2, a0_1); a0_2 = F(v, w0_0, a0_2);
            v = Vector512.Load(xk + 80); a0_2 = F(v, w0_1, a0_2);
            v = Vector512.Load(xk + 96); a0_2 = F(v, w0_2, a0_2); a0_3 = F(v, w0_0, a0_3);
            v = Vector512.Load(xk + 112); a0_3 = F(v, w0_1, a0_3);
            v = Vector512.Load(xk + 128); a0_3 = F(v, w0_2, a0_3); a0_4 = F(v, w0_0, a0_4);
            v = Vector512.Load(xk + 144); a0_4 = F(v, w0_1, a0_4);
            v = Vector512.Load(xk + 160); a0_4 = F(v, w0_2, a0_4); a0_5 = F(v, w0_0, a0_5);
            v = Vector512.Load(xk + 176); a0_5 = F(v, w0_1, a0_5);
            v = Vector512.Load(xk + 192); a0_5 = F(v, w0_2, a0_5); a0_6 = F(v, w0_0, a0_6);
            v = Vector512.Load(xk + 208); a0_6 = F(v, w0_1, a0_6);
            v = Vector512.Load(xk + 224); a0_6 = F(v, w0_2, a0_6); a0_7 = F(v, w0_0, a0_7);
            v = Vector512.Load(xk + 240); a0_7 = F(v, w0_1, a0_7);
            v = Vector512.Load(xk + 256); a0_7 = F(v, w0_2, a0_7); a0_8 = F(v, w0_0, a0_8);
            v = Vector512.Load(xk + 272); a0_8 = F(v, w0_1, a0_8);
            v = Vector512.Load(xk + 288); a0_8 = F(v, w0_2, a0_8);
        }
        Vector512.Store(a0_0, o + 0);
        Vector512.Store(a0_1, o + 16);
        Vector512.Store(a0_2, o + 32);
        Vector512.Store(a0_3, o + 48);
        Vector512.Store(a0_4, o + 64);
        Vector512.Store(a0_5, o + 80);
        Vector512.Store(a0_6, o + 96);
        Vector512.Store(a0_7, o + 112);
        Vector512.Store(a0_8, o + 128);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> F(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    void Scalar(float* d, float* o)
    {
        for (int n = 0; n < N; n++)
        for (int c = 0; c < C; c++)
        for (int y = 0; y < OH; y++)
        for (int xo = 0; xo < OW; xo++)
        {
            float sum = 0;
            for (int kh = 0; kh < KH; kh++)
            {
                int iy = y * SH - PT + kh * DH;
                if ((uint)iy >= H) continue;
                for (int kw = 0; kw < KW; kw++)
                {
                    int ix = xo * SW - PL + kw * DW;
                    if ((uint)ix >= W) continue;
                    sum += d[(((long)n * CB + c / B) * H * W + iy * W + ix) * B + c % B] * wo[(c * KH + kh) * KW + kw];
                }
            }
            o[(((long)n * CB + c / B) * OH * OW + y * OW + xo) * B + c % B] = sum;
        }
    }
}
