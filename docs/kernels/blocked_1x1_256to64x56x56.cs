using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading.Tasks;

// conv2d N1 C256 49x64 -> OC64 k1x1 s1,1 p0,0,0,0 d1,1 g1 -> 49x64 | nchw16c -> nchw16c tile_oc=2x16 tile_ow=14 tile_oh=1 tile_ic=256 order=oh,oc,ic unroll_kw=True parallel=oh vec_bits=512
[SkipLocalsInit]
public sealed unsafe class conv2d_nchwc_1 : Tessel.Kernels.IKernel
{
    const int N = 1, C = 256, H = 49, W = 64, OC = 64, KH = 1, KW = 1;
    const int SH = 1, SW = 1, DH = 1, DW = 1, PT = 0, PL = 0, PW = 64;
    const int OH = 49, OW = 64, V = 16, BI = 16, BO = 16, CB = 16, OCB = 4;
    const int XRS = 1024, XPS = 49 * XRS, ORS = OW * BO, OPS = OH * ORS;
    const int TOC = 32, L = TOC, KK = KH * KW * L, TOH = 1, TIC = 256, NOCT = 2, NOHT = 49, NICT = 1;
    const long WTILE = (long)C * KK, XLEN = 0;

    public Tessel.Layouts.KernelLayout? Layout { get; } = new(N, C, H * W, BI, OC, OH * OW, BO);

    float[] wArr, xArr, wOrigArr;
    float* wp, xp, wo;
    int threads;
    float* cx, co, cd;
    Action<int> workItem, padItem;

    public void Prepare(ReadOnlySpan<float> weight, int threads)
    {
        if (weight.Length != OC * C * KH * KW) throw new ArgumentException("weight has " + weight.Length + " elements, expected " + (OC * C * KH * KW));
        this.threads = Math.Max(1, threads);
        workItem = WorkItem;
        padItem = PadItem;
        wOrigArr = GC.AllocateArray<float>(weight.Length, pinned: true);
        weight.CopyTo(wOrigArr);
        wo = (float*)Unsafe.AsPointer(ref wOrigArr[0]);
        wArr = GC.AllocateArray<float>((int)(NOCT * WTILE), pinned: true);
        wp = (float*)Unsafe.AsPointer(ref wArr[0]);
        for (int t = 0; t < NOCT; t++)
        for (int ic = 0; ic < C; ic++)
        for (int k = 0; k < KH * KW; k++)
        for (int l = 0; l < L; l++)
        {
            int oc = t * TOC + l;
            wp[t * WTILE + (long)ic * KK + k * L + l] = oc < OC ? weight[(oc * C + ic) * KH * KW + k] : 0f;
        }
        xArr = GC.AllocateArray<float>((int)Math.Max(XLEN, 1), pinned: true);
        xp = (float*)Unsafe.AsPointer(ref xArr[0]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(float* data, float* output)
    {
        if (!Vector512.IsHardwareAccelerated) { Scalar(data, output); return; }
        float* x = data;
        const int total = N * NOHT;
        if (threads == 1) { for (int i = 0; i < total; i++) Work(i, x, output); return; }
        cx = x; co = output;
        Tessel.KernelRuntime.WorkPool.For(total, threads, workItem);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void WorkItem(int i) => Work(i, cx, co);

    // The padded copy, block plane by block plane: the borders stay zero from allocation.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    float* Pad(float* data)
    {
        if (threads > 1) { cd = data; Tessel.KernelRuntime.WorkPool.For(N * CB, threads, padItem); }
        else for (int nc = 0; nc < N * CB; nc++) PadPlane(data, nc);
        return xp;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void PadItem(int nc) => PadPlane(cd, nc);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void PadPlane(float* data, int nc)
    {
        for (int y = 0; y < H; y++)
            Buffer.MemoryCopy(data + ((long)nc * H + y) * W * BI, xp + (long)nc * XPS + ((long)(y + PT) * PW + PL) * BI, W * BI * sizeof(float), W * BI * sizeof(float));
    }

    // Work item: (n, tile of the parallel axis); the other outer loops nest in the order knob's order.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Work(int i, float* x, float* o)
    {
        int ohT = i % NOHT, n = i / NOHT;
        for (int ocT = 0; ocT < NOCT; ocT++)
        for (int icT = 0; icT < NICT; icT++)
        {
            int icS = icT * TIC, icn = Math.Min(TIC, C - icS), oc0 = ocT * TOC;
            bool first = icT == 0;
            float* w = wp + ocT * WTILE + (long)icS * KK;
            float* xb = x + (long)n * CB * XPS;
            float* ob = o + (long)n * OCB * OPS;
            int ohS = ohT * TOH, ohE = Math.Min(OH, ohS + TOH);
            for (int r = ohS; r < ohE; r++) Row2(xb + (long)r * SH * XRS, w, ob + (long)r * ORS, icS, icn, oc0, first);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Row2(float* x, float* w, float* o, int icS, int icn, int oc0, bool first)
    {
        for (int c = 0; c < 56; c += 14) K2_14(x + c * SW * BI, w, o + c * BO, icS, icn, oc0, first);
        K2_8(x + 56 * SW * BI, w, o + 56 * BO, icS, icn, oc0, first);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void K2_14(float* x, float* w, float* o, int icS, int icn, int oc0, bool first)
    {
        Vector512<float> a0_0 = default, a0_1 = default, a0_2 = default, a0_3 = default, a0_4 = default, a0_5 = default, a0_6 = default, a0_7 = default, a0_8 = default, a0_9 = default, a0_10 = default, a0_11 = default, a0_12 = default, a0_13 = default;
        Vector512<float> a1_0 = default, a1_1 = default, a1_2 = default, a1_3 = default, a1_4 = default, a1_5 = default, a1_6 = default, a1_7 = default, a1_8 = default, a1_9 = default, a1_10 = default, a1_11 = default, a1_12 = default, a1_13 = default;
        for (int ic = icS; ic < icS + icn; ic++, w += KK)
        {
            float* xi = x + (ic / BI) * (long)XPS + ic % BI;
            for (int kh = 0; kh < KH; kh++)
            {
                float* xr = xi + kh * (DH * XRS);
                float* wr = w + kh * (KW * L);
                {
                    Vector512<float> w0 = Vector512.Load(wr + 0 * L + 0 * V);
                    Vector512<float> w1 = Vector512.Load(wr + 0 * L + 1 * V);
                    float* xk = xr + 0 * DW * BI;
                    Vector512<float> v;
                    v = Vector512.Create(xk[0 * SW * BI]); a0_0 = F(w0, v, a0_0); a1_0 = F(w1, v, a1_0);
                    v = Vector512.Create(xk[1 * SW * BI]); a0_1 = F(w0, v, a0_1); a1_1 = F(w1, v, a1_1);
                    v = Vector512.Create(xk[2 * SW * BI]); a0_2 = F(w0, v, a0_2); a1_2 = F(w1, v, a1_2);
                    v = Vector512.Create(xk[3 * SW * BI]); a0_3 = F(w0, v, a0_3); a1_3 = F(w1, v, a1_3);
                    v = Vector512.Create(xk[4 * SW * BI]); a0_4 = F(w0, v, a0_4); a1_4 = F(w1, v, a1_4);
                    v = Vector512.Create(xk[5 * SW * BI]); a0_5 = F(w0, v, a0_5); a1_5 = F(w1, v, a1_5);
                    v = Vector512.Create(xk[6 * SW * BI]); a0_6 = F(w0, v, a0_6); a1_6 = F(w1, v, a1_6);
                    v = Vector512.Create(xk[7 * SW * BI]); a0_7 = F(w0, v, a0_7); a1_7 = F(w1, v, a1_7);
                    v = Vector512.Create(xk[8 * SW * BI]); a0_8 = F(w0, v, a0_8); a1_8 = F(w1, v, a1_8);
                    v = Vector512.Create(xk[9 * SW * BI]); a0_9 = F(w0, v, a0_9); a1_9 = F(w1, v, a1_9);
                    v = Vector512.Create(xk[10 * SW * BI]); a0_10 = F(w0, v, a0_10); a1_10 = F(w1, v, a1_10);
                    v = Vector512.Create(xk[11 * SW * BI]); a0_11 = F(w0, v, a0_11); a1_11 = F(w1, v, a1_11);
                    v = Vector512.Create(xk[12 * SW * BI]); a0_12 = F(w0, v, a0_12); a1_12 = F(w1, v, a1_12);
                    v = Vector512.Create(xk[13 * SW * BI]); a0_13 = F(w0, v, a0_13); a1_13 = F(w1, v, a1_13);
                }
            }
        }
        float* o0 = o + ((oc0 + 0 * V) / BO) * (long)OPS + (oc0 + 0 * V) % BO;
        float* o1 = o + ((oc0 + 1 * V) / BO) * (long)OPS + (oc0 + 1 * V) % BO;
        Vector512.Store(first ? a0_0 : a0_0 + Vector512.Load(o0 + 0), o0 + 0);
        Vector512.Store(first ? a0_1 : a0_1 + Vector512.Load(o0 + 16), o0 + 16);
        Vector512.Store(first ? a0_2 : a0_2 + Vector512.Load(o0 + 32), o0 + 32);
        Vector512.Store(first ? a0_3 : a0_3 + Vector512.Load(o0 + 48), o0 + 48);
        Vector512.Store(first ? a0_4 : a0_4 + Vector512.Load(o0 + 64), o0 + 64);
        Vector512.Store(first ? a0_5 : a0_5 + Vector512.Load(o0 + 80), o0 + 80);
        Vector512.Store(first ? a0_6 : a0_6 + Vector512.Load(o0 + 96), o0 + 96);
        Vector512.Store(first ? a0_7 : a0_7 + Vector512.Load(o0 + 112), o0 + 112);
        Vector512.Store(first ? a0_8 : a0_8 + Vector512.Load(o0 + 128), o0 + 128);
        Vector512.Store(first ? a0_9 : a0_9 + Vector512.Load(o0 + 144), o0 + 144);
        Vector512.Store(first ? a0_10 : a0_10 + Vector512.Load(o0 + 160), o0 + 160);
        Vector512.Store(first ? a0_11 : a0_11 + Vector512.Load(o0 + 176), o0 + 176);
        Vector512.Store(first ? a0_12 : a0_12 + Vector512.Load(o0 + 192), o0 + 192);
        Vector512.Store(first ? a0_13 : a0_13 + Vector512.Load(o0 + 208), o0 + 208);
        Vector512.Store(first ? a1_0 : a1_0 + Vector512.Load(o1 + 0), o1 + 0);
        Vector512.Store(first ? a1_1 : a1_1 + Vector512.Load(o1 + 16), o1 + 16);
        Vector512.Store(first ? a1_2 : a1_2 + Vector512.Load(o1 + 32), o1 + 32);
        Vector512.Store(first ? a1_3 : a1_3 + Vector512.Load(o1 + 48), o1 + 48);
        Vector512.Store(first ? a1_4 : a1_4 + Vector512.Load(o1 + 64), o1 + 64);
        Vector512.Store(first ? a1_5 : a1_5 + Vector512.Load(o1 + 80), o1 + 80);
        Vector512.Store(first ? a1_6 : a1_6 + Vector512.Load(o1 + 96), o1 + 96);
        Vector512.Store(first ? a1_7 : a1_7 + Vector512.Load(o1 + 112), o1 + 112);
        Vector512.Store(first ? a1_8 : a1_8 + Vector512.Load(o1 + 128), o1 + 128);
        Vector512.Store(first ? a1_9 : a1_9 + Vector512.Load(o1 + 144), o1 + 144);
        Vector512.Store(first ? a1_10 : a1_10 + Vector512.Load(o1 + 160), o1 + 160);
        Vector512.Store(first ? a1_11 : a1_11 + Vector512.Load(o1 + 176), o1 + 176);
        Vector512.Store(first ? a1_12 : a1_12 + Vector512.Load(o1 + 192), o1 + 192);
        Vector512.Store(first ? a1_13 : a1_13 + Vector512.Load(o1 + 208), o1 + 208);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void K2_8(float* x, float* w, float* o, int icS, int icn, int oc0, bool first)
    {
        Vector512<float> a0_0 = default, a0_1 = default, a0_2 = default, a0_3 = default, a0_4 = default, a0_5 = default, a0_6 = default, a0_7 = default;
        Vector512<float> a1_0 = default, a1_1 = default, a1_2 = default, a1_3 = default, a1_4 = default, a1_5 = default, a1_6 = default, a1_7 = default;
        for (int ic = icS; ic < icS + icn; ic++, w += KK)
        {
            float* xi = x + (ic / BI) * (long)XPS + ic % BI;
            for (int kh = 0; kh < KH; kh++)
            {
                float* xr = xi + kh * (DH * XRS);
                float* wr = w + kh * (KW * L);
                {
                    Vector512<float> w0 = Vector512.Load(wr + 0 * L + 0 * V);
                    Vector512<float> w1 = Vector512.Load(wr + 0 * L + 1 * V);
                    float* xk = xr + 0 * DW * BI;
                    Vector512<float> v;
                    v = Vector512.Create(xk[0 * SW * BI]); a0_0 = F(w0, v, a0_0); a1_0 = F(w1, v, a1_0);
                    v = Vector512.Create(xk[1 * SW * BI]); a0_1 = F(w0, v, a0_1); a1_1 = F(w1, v, a1_1);
                    v = Vector512.Create(xk[2 * SW * BI]); a0_2 = F(w0, v, a0_2); a1_2 = F(w1, v, a1_2);
                    v = Vector512.Create(xk[3 * SW * BI]); a0_3 = F(w0, v, a0_3); a1_3 = F(w1, v, a1_3);
                    v = Vector512.Create(xk[4 * SW * BI]); a0_4 = F(w0, v, a0_4); a1_4 = F(w1, v, a1_4);
                    v = Vector512.Create(xk[5 * SW * BI]); a0_5 = F(w0, v, a0_5); a1_5 = F(w1, v, a1_5);
                    v = Vector512.Create(xk[6 * SW * BI]); a0_6 = F(w0, v, a0_6); a1_6 = F(w1, v, a1_6);
                    v = Vector512.Create(xk[7 * SW * BI]); a0_7 = F(w0, v, a0_7); a1_7 = F(w1, v, a1_7);
                }
            }
        }
        float* o0 = o + ((oc0 + 0 * V) / BO) * (long)OPS + (oc0 + 0 * V) % BO;
        float* o1 = o + ((oc0 + 1 * V) / BO) * (long)OPS + (oc0 + 1 * V) % BO;
        Vector512.Store(first ? a0_0 : a0_0 + Vector512.Load(o0 + 0), o0 + 0);
        Vector512.Store(first ? a0_1 : a0_1 + Vector512.Load(o0 + 16), o0 + 16);
        Vector512.Store(first ? a0_2 : a0_2 + Vector512.Load(o0 + 32), o0 + 32);
        Vector512.Store(first ? a0_3 : a0_3 + Vector512.Load(o0 + 48), o0 + 48);
        Vector512.Store(first ? a0_4 : a0_4 + Vector512.Load(o0 + 64), o0 + 64);
        Vector512.Store(first ? a0_5 : a0_5 + Vector512.Load(o0 + 80), o0 + 80);
        Vector512.Store(first ? a0_6 : a0_6 + Vector512.Load(o0 + 96), o0 + 96);
        Vector512.Store(first ? a0_7 : a0_7 + Vector512.Load(o0 + 112), o0 + 112);
        Vector512.Store(first ? a1_0 : a1_0 + Vector512.Load(o1 + 0), o1 + 0);
        Vector512.Store(first ? a1_1 : a1_1 + Vector512.Load(o1 + 16), o1 + 16);
        Vector512.Store(first ? a1_2 : a1_2 + Vector512.Load(o1 + 32), o1 + 32);
        Vector512.Store(first ? a1_3 : a1_3 + Vector512.Load(o1 + 48), o1 + 48);
        Vector512.Store(first ? a1_4 : a1_4 + Vector512.Load(o1 + 64), o1 + 64);
        Vector512.Store(first ? a1_5 : a1_5 + Vector512.Load(o1 + 80), o1 + 80);
        Vector512.Store(first ? a1_6 : a1_6 + Vector512.Load(o1 + 96), o1 + 96);
        Vector512.Store(first ? a1_7 : a1_7 + Vector512.Load(o1 + 112), o1 + 112);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> F(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    void Scalar(float* d, float* o)
    {
        for (int n = 0; n < N; n++)
        for (int oc = 0; oc < OCB * BO; oc++)
        for (int y = 0; y < OH; y++)
        for (int xo = 0; xo < OW; xo++)
        {
            float sum = 0;
            for (int ic = 0; ic < C && oc < OC; ic++)
            for (int kh = 0; kh < KH; kh++)
            {
                int iy = y * SH - PT + kh * DH;
                if ((uint)iy >= H) continue;
                for (int kw = 0; kw < KW; kw++)
                {
                    int ix = xo * SW - PL + kw * DW;
                    if ((uint)ix >= W) continue;
                    sum += d[(((long)n * CB + ic / BI) * H * W + iy * W + ix) * BI + ic % BI] * wo[((oc * C + ic) * KH + kh) * KW + kw];
                }
            }
            o[(((long)n * OCB + oc / BO) * OH * OW + y * OW + xo) * BO + oc % BO] = sum;
        }
    }
}
