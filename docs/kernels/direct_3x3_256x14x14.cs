using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading.Tasks;

// conv2d N1 C256 14x14 -> OC256 k3x3 s1,1 p1,1,1,1 d1,1 g1 -> 14x14 | tile_oc=32 tile_ow=14 tile_oh=14 tile_ic=86 order=oc,ic,oh vec=oc unroll_kw=True parallel=oc vec_bits=512
[SkipLocalsInit]
public sealed unsafe class conv2d_nchw_1 : Tessel.Kernels.IKernel
{
    const int N = 1, C = 256, H = 14, W = 14, OC = 256, G = 1, ICG = 256, OCG = 256;
    const int KH = 3, KW = 3, SH = 1, SW = 1, DH = 1, DW = 1;
    const int PT = 1, PL = 1, OH = 14, OW = 14, OHW = OH * OW;
    const int CS = 1, LP = 32, RS = 32, PS = 512, L = 32, KK = KH * KW * L;
    const int TOC = 32, TOH = 14, TIC = 86, NOCT = 8, NOHT = 1, NICT = 3;
    const long WTILE = (long)ICG * KK, XLEN = 131088;

    float[] wArr, xArr, wOrigArr;
    float* wp, xp, wo;
    int threads;
    ParallelOptions opts;

    public void Prepare(ReadOnlySpan<float> weight, int threads)
    {
        if (weight.Length != OC * ICG * KH * KW) throw new ArgumentException("weight has " + weight.Length + " elements, expected " + (OC * ICG * KH * KW));
        this.threads = Math.Max(1, threads);
        opts = new ParallelOptions { MaxDegreeOfParallelism = this.threads };
        wOrigArr = GC.AllocateArray<float>(weight.Length, pinned: true);
        weight.CopyTo(wOrigArr);
        wo = (float*)Unsafe.AsPointer(ref wOrigArr[0]);
        wArr = GC.AllocateArray<float>((int)(G * NOCT * WTILE), pinned: true);
        wp = (float*)Unsafe.AsPointer(ref wArr[0]);
        for (int g = 0; g < G; g++)
        for (int t = 0; t < NOCT; t++)
        for (int ic = 0; ic < ICG; ic++)
        for (int k = 0; k < KH * KW; k++)
        for (int l = 0; l < L; l++)
        {
            int oc = t * TOC + l;
            float v = l < TOC && oc < OCG ? weight[((g * OCG + oc) * ICG + ic) * KH * KW + k] : 0f;
            wp[(g * NOCT + t) * WTILE + (long)ic * KK + k * L + l] = v;
        }
        xArr = GC.AllocateArray<float>((int)Math.Max(XLEN, 1), pinned: true);
        xp = (float*)Unsafe.AsPointer(ref xArr[0]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(float* data, float* output)
    {
        if (!Vector512.IsHardwareAccelerated) { Scalar(data, output); return; }
        float* x = Pad(data);
        const int total = N * G * NOCT;
        if (threads == 1 || total == 1) { for (int i = 0; i < total; i++) Work(i, x, output); return; }
        nint xa = (nint)x, oa = (nint)output;
        Parallel.For(0, total, opts, i => Work(i, (float*)xa, (float*)oa));
    }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    float* Pad(float* data)
    {
        if (threads > 1) Parallel.For(0, N * C, opts, nc => PadPlane(data, nc));
        else for (int nc = 0; nc < N * C; nc++) PadPlane(data, nc);
        return xp;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void PadPlane(float* data, int nc)
    {
        for (int y = 0; y < H; y++)
        {
            float* src = data + ((long)nc * H + y) * W;
            float* dst = xp + (long)nc * PS + (long)(y + PT) * RS;
            Buffer.MemoryCopy(src, dst + PL, W * sizeof(float), W * sizeof(float));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Work(int i, float* x, float* o)
    {
        int ocT = i % NOCT;
        int ng = i / NOCT;
        int g = ng % G, n = ng / G;
        for (int icT = 0; icT < NICT; icT++)
        for (int ohT = 0; ohT < NOHT; ohT++)
        {
            int icS = icT * TIC, icn = Math.Min(TIC, ICG - icS);
            bool first = icT == 0;
            float* w = wp + (g * NOCT + ocT) * WTILE + (long)icS * KK;
            float* xb = x + ((long)n * C + g * ICG + icS) * PS;
            float* ob = o + ((long)n * OC + g * OCG + ocT * TOC) * OHW;
            int ohS = ohT * TOH, ohE = Math.Min(OH, ohS + TOH);
            for (int r = ohS; r < ohE; r++) Row32(xb + (long)r * SH * RS, w, ob + r * OW, icn, first);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Row32(float* x, float* w, float* o, int icn, bool first)
    {
        for (int c = 0; c < 14; c += 14) K32_14(x + c * CS, w, o + c, icn, first);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void K32_14(float* x, float* w, float* o, int icn, bool first)
    {
        Vector512<float> a0_0 = default, a0_1 = default, a0_2 = default, a0_3 = default, a0_4 = default, a0_5 = default, a0_6 = default, a0_7 = default, a0_8 = default, a0_9 = default, a0_10 = default, a0_11 = default, a0_12 = default, a0_13 = default;
        Vector512<float> a1_0 = default, a1_1 = default, a1_2 = default, a1_3 = default, a1_4 = default, a1_5 = default, a1_6 = default, a1_7 = default, a1_8 = default, a1_9 = default, a1_10 = default, a1_11 = default, a1_12 = default, a1_13 = default;
        for (int ic = 0; ic < icn; ic++, x += PS, w += KK)
        {
            for (int kh = 0; kh < KH; kh++)
            {
                float* xr = x + kh * (DH * RS);
                float* wr = w + kh * (KW * L);
                {
                    Vector512<float> w0 = Vector512.Load(wr + 0 + 0);
                    Vector512<float> w1 = Vector512.Load(wr + 0 + 16);
                    float* xk = xr + 0;
                    Vector512<float> v;
                    v = Vector512.Create(xk[0]); a0_0 = F(w0, v, a0_0); a1_0 = F(w1, v, a1_0);
                    v = Vector512.Create(xk[1]); a0_1 = F(w0, v, a0_1); a1_1 = F(w1, v, a1_1);
                    v = Vector512.Create(xk[2]); a0_2 = F(w0, v, a0_2); a1_2 = F(w1, v, a1_2);
                    v = Vector512.Create(xk[3]); a0_3 = F(w0, v, a0_3); a1_3 = F(w1, v, a1_3);
                    v = Vector512.Create(xk[4]); a0_4 = F(w0, v, a0_4); a1_4 = F(w1, v, a1_4);
                    v = Vector512.Create(xk[5]); a0_5 = F(w0, v, a0_5); a1_5 = F(w1, v, a1_5);
                    v = Vector512.Create(xk[6]); a0_6 = F(w0, v, a0_6); a1_6 = F(w1, v, a1_6);
                    v = Vector512.Create(xk[7]); a0_7 = F(w0, v, a0_7); a1_7 = F(w1, v, a1_7);
                    v = Vector512.Create(xk[8]); a0_8 = F(w0, v, a0_8); a1_8 = F(w1, v, a1_8);
                    v = Vector512.Create(xk[9]); a0_9 = F(w0, v, a0_9); a1_9 = F(w1, v, a1_9);
                    v = Vector512.Create(xk[10]); a0_10 = F(w0, v, a0_10); a1_10 = F(w1, v, a1_10);
                    v = Vector512.Create(xk[11]); a0_11 = F(w0, v, a0_11); a1_11 = F(w1, v, a1_11);
                    v = Vector512.Create(xk[12]); a0_12 = F(w0, v, a0_12); a1_12 = F(w1, v, a1_12);
                    v = Vector512.Create(xk[13]); a0_13 = F(w0, v, a0_13); a1_13 = F(w1, v, a1_13);
                }
                {
                    Vector512<float> w0 = Vector512.Load(wr + 32 + 0);
                    Vector512<float> w1 = Vector512.Load(wr + 32 + 16);
                    float* xk = xr + 1;
                    Vector512<float> v;
                    v = Vector512.Create(xk[0]); a0_0 = F(w0, v, a0_0); a1_0 = F(w1, v, a1_0);
                    v = Vector512.Create(xk[1]); a0_1 = F(w0, v, a0_1); a1_1 = F(w1, v, a1_1);
                    v = Vector512.Create(xk[2]); a0_2 = F(w0, v, a0_2); a1_2 = F(w1, v, a1_2);
                    v = Vector512.Create(xk[3]); a0_3 = F(w0, v, a0_3); a1_3 = F(w1, v, a1_3);
                    v = Vector512.Create(xk[4]); a0_4 = F(w0, v, a0_4); a1_4 = F(w1, v, a1_4);
                    v = Vector512.Create(xk[5]); a0_5 = F(w0, v, a0_5); a1_5 = F(w1, v, a1_5);
                    v = Vector512.Create(xk[6]); a0_6 = F(w0, v, a0_6); a1_6 = F(w1, v, a1_6);
                    v = Vector512.Create(xk[7]); a0_7 = F(w0, v, a0_7); a1_7 = F(w1, v, a1_7);
                    v = Vector512.Create(xk[8]); a0_8 = F(w0, v, a0_8); a1_8 = F(w1, v, a1_8);
                    v = Vector512.Create(xk[9]); a0_9 = F(w0, v, a0_9); a1_9 = F(w1, v, a1_9);
                    v = Vector512.Create(xk[10]); a0_10 = F(w0, v, a0_10); a1_10 = F(w1, v, a1_10);
                    v = Vector512.Create(xk[11]); a0_11 = F(w0, v, a0_11); a1_11 = F(w1, v, a1_11);
                    v = Vector512.Create(xk[12]); a0_12 = F(w0, v, a0_12); a1_12 = F(w1, v, a1_12);
                    v = Vector512.Create(xk[13]); a0_13 = F(w0, v, a0_13); a1_13 = F(w1, v, a1_13);
                }
                {
                    Vector512<float> w0 = Vector512.Load(wr + 64 + 0);
                    Vector512<float> w1 = Vector512.Load(wr + 64 + 16);
                    float* xk = xr + 2;
                    Vector512<float> v;
                    v = Vector512.Create(xk[0]); a0_0 = F(w0, v, a0_0); a1_0 = F(w1, v, a1_0);
                    v = Vector512.Create(xk[1]); a0_1 = F(w0, v, a0_1); a1_1 = F(w1, v, a1_1);
                    v = Vector512.Create(xk[2]); a0_2 = F(w0, v, a0_2); a1_2 = F(w1, v, a1_2);
                    v = Vector512.Create(xk[3]); a0_3 = F(w0, v, a0_3); a1_3 = F(w1, v, a1_3);
                    v = Vector512.Create(xk[4]); a0_4 = F(w0, v, a0_4); a1_4 = F(w1, v, a1_4);
                    v = Vector512.Create(xk[5]); a0_5 = F(w0, v, a0_5); a1_5 = F(w1, v, a1_5);
                    v = Vector512.Create(xk[6]); a0_6 = F(w0, v, a0_6); a1_6 = F(w1, v, a1_6);
                    v = Vector512.Create(xk[7]); a0_7 = F(w0, v, a0_7); a1_7 = F(w1, v, a1_7);
                    v = Vector512.Create(xk[8]); a0_8 = F(w0, v, a0_8); a1_8 = F(w1, v, a1_8);
                    v = Vector512.Create(xk[9]); a0_9 = F(w0, v, a0_9); a1_9 = F(w1, v, a1_9);
                    v = Vector512.Create(xk[10]); a0_10 = F(w0, v, a0_10); a1_10 = F(w1, v, a1_10);
                    v = Vector512.Create(xk[11]); a0_11 = F(w0, v, a0_11); a1_11 = F(w1, v, a1_11);
                    v = Vector512.Create(xk[12]); a0_12 = F(w0, v, a0_12); a1_12 = F(w1, v, a1_12);
                    v = Vector512.Create(xk[13]); a0_13 = F(w0, v, a0_13); a1_13 = F(w1, v, a1_13);
                }
            }
        }
        float* t = stackalloc float[448];
        Vector512.Store(a0_0, t + 0);
        Vector512.Store(a0_1, t + 16);
        Vector512.Store(a0_2, t + 32);
        Vector512.Store(a0_3, t + 48);
        Vector512.Store(a0_4, t + 64);
        Vector512.Store(a0_5, t + 80);
        Vector512.Store(a0_6, t + 96);
        Vector512.Store(a0_7, t + 112);
        Vector512.Store(a0_8, t + 128);
        Vector512.Store(a0_9, t + 144);
        Vector512.Store(a0_10, t + 160);
        Vector512.Store(a0_11, t + 176);
        Vector512.Store(a0_12, t + 192);
        Vector512.Store(a0_13, t + 208);
        Vector512.Store(a1_0, t + 224);
        Vector512.Store(a1_1, t + 240);
        Vector512.Store(a1_2, t + 256);
        Vector512.Store(a1_3, t + 272);
        Vector512.Store(a1_4, t + 288);
        Vector512.Store(a1_5, t + 304);
        Vector512.Store(a1_6, t + 320);
        Vector512.Store(a1_7, t + 336);
        Vector512.Store(a1_8, t + 352);
        Vector512.Store(a1_9, t + 368);
        Vector512.Store(a1_10, t + 384);
        Vector512.Store(a1_11, t + 400);
        Vector512.Store(a1_12, t + 416);
        Vector512.Store(a1_13, t + 432);
        for (int l = 0; l < 32; l++)
        {
            float* od = o + l * OHW;
            float* ts = t + (l / 16) * 224 + (l % 16);
            if (first) for (int j = 0; j < 14; j++) od[j] = ts[j * 16];
            else for (int j = 0; j < 14; j++) od[j] += ts[j * 16];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> F(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    void Scalar(float* d, float* o)
    {
        for (int n = 0; n < N; n++)
        for (int oc = 0; oc < OC; oc++)
        {
            int g = oc / OCG;
            for (int y = 0; y < OH; y++)
            for (int xo = 0; xo < OW; xo++)
            {
                float sum = 0;
                for (int ic = 0; ic < ICG; ic++)
                for (int kh = 0; kh < KH; kh++)
                {
                    int iy = y * SH - PT + kh * DH;
                    if ((uint)iy >= H) continue;
                    for (int kw = 0; kw < KW; kw++)
                    {
                        int ix = xo * SW - PL + kw * DW;
                        if ((uint)ix >= W) continue;
                        sum += d[(((long)n * C + g * ICG + ic) * H + iy) * W + ix] * wo[((oc * ICG + ic) * KH + kh) * KW + kw];
                    }
                }
                o[(((long)n * OC + oc) * OH + y) * OW + xo] = sum;
            }
        }
    }
}
