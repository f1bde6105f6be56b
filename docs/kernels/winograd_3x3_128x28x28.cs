using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading.Tasks;

// winograd F(4x4,3x3) conv2d N1 C128 28x28 -> OC128 k3x3 s1,1 p1,1,1,1 d1,1 g1 -> 28x28 | tile_oc=32 tile_p=12 vec_bits=512
[SkipLocalsInit]
public sealed unsafe class conv2d_nchw_winograd_1 : Tessel.Kernels.IKernel
{
    const int N = 1, C = 128, H = 28, W = 28, OC = 128, PT = 1, PL = 1;
    const int OH = 28, OW = 28, OHW = OH * OW, M = 4, A = 6, AA = A * A, V = 16;
    const int TH = 7, TW = 7, P = TH * TW, PP = P + V;
    const int TOC = 32, TOCL = 32, NOCT = 4, OCP = NOCT * TOCL;
    const int LP = TW + 2 + V, RS = M * LP, PR = TH * M + 2, PS = PR * RS;

    float[] uArr, xArr, vArr, mArr, wOrigArr;
    float* u, xp, vt, mt, wo;
    int threads;
    ParallelOptions opts;

    public void Prepare(ReadOnlySpan<float> weight, int threads)
    {
        if (weight.Length != OC * C * 9) throw new ArgumentException("weight has " + weight.Length + " elements, expected " + (OC * C * 9));
        this.threads = Math.Max(1, threads);
        opts = new ParallelOptions { MaxDegreeOfParallelism = this.threads };
        wOrigArr = GC.AllocateArray<float>(weight.Length, pinned: true);
        weight.CopyTo(wOrigArr);
        wo = (float*)Unsafe.AsPointer(ref wOrigArr[0]);
        // U[xi][oc tile][ic][TOCL]: G g G^T of every filter, channel tiles zero-padded to whole vectors.
        uArr = GC.AllocateArray<float>(AA * OCP * C, pinned: true);
        u = (float*)Unsafe.AsPointer(ref uArr[0]);
        var matrices = Tessel.Templates.Winograd.WinogradMatrices.For(M);
        for (int oc = 0; oc < OC; oc++)
        for (int ic = 0; ic < C; ic++)
        {
            double[] t = matrices.TransformFilter(weight.Slice((oc * C + ic) * 9, 9));
            int tile = oc / TOC, lane = oc % TOC;
            for (int xi = 0; xi < AA; xi++) u[((long)(xi * NOCT + tile) * C + ic) * TOCL + lane] = (float)t[xi];
        }
        xArr = GC.AllocateArray<float>(C * PS + V, pinned: true);
        xp = (float*)Unsafe.AsPointer(ref xArr[0]);
        vArr = GC.AllocateArray<float>(AA * C * PP, pinned: true);
        vt = (float*)Unsafe.AsPointer(ref vArr[0]);
        mArr = GC.AllocateArray<float>(AA * P * OCP, pinned: true);
        mt = (float*)Unsafe.AsPointer(ref mArr[0]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(float* data, float* output)
    {
        if (!Vector512.IsHardwareAccelerated) { Scalar(data, output); return; }
        for (int n = 0; n < N; n++)
        {
            nint d = (nint)(data + (long)n * C * H * W), o = (nint)(output + (long)n * OC * OHW);
            For(C, ic => Scatter((float*)d, ic));
            For(C, ic => InputTransform(ic));
            For(AA * NOCT, i => Product(i));
            For(P, t => OutputTransform(t, (float*)o));
        }
    }

    void For(int count, Action<int> body)
    {
        if (threads == 1 || count == 1) { for (int i = 0; i < count; i++) body(i); return; }
        Parallel.For(0, count, opts, body);
    }

    // Padded (row, column) goes to row * RS + (column % M) * LP + column / M of the channel's plane; the
    // rest of the scratch stays zero from allocation: it is the padding.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Scatter(float* d, int ic)
    {
        float* src = d + (long)ic * H * W;
        float* plane = xp + (long)ic * PS;
        for (int y = 0; y < H; y++)
        {
            float* row = plane + (y + PT) * RS;
            float* s = src + y * W;
            for (int f = 0; f < M; f++)
            {
                int x = ((f - PL) % M + M) % M;
                float* dst = row + f * LP + (x + PL) / M;
                for (; x < W; x += M) *dst++ = s[x];
            }
        }
    }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void InputTransform(int ic)
    {
        float* plane = xp + (long)ic * PS;
        for (int ty = 0; ty < TH; ty++)
        for (int tx = 0; tx < TW; tx += 8)
        {
            float* s = plane + ty * M * RS + tx;
            float* dst = vt + (long)ic * PP + ty * TW + tx;
            var d0_0 = Vector256.Load(s + 0 * RS + 0 * LP + 0);
            var d0_1 = Vector256.Load(s + 0 * RS + 1 * LP + 0);
            var d0_2 = Vector256.Load(s + 0 * RS + 2 * LP + 0);
            var d0_3 = Vector256.Load(s + 0 * RS + 3 * LP + 0);
            var d0_4 = Vector256.Load(s + 0 * RS + 0 * LP + 1);
            var d0_5 = Vector256.Load(s + 0 * RS + 1 * LP + 1);
            var d1_0 = Vector256.Load(s + 1 * RS + 0 * LP + 0);
            var d1_1 = Vector256.Load(s + 1 * RS + 1 * LP + 0);
            var d1_2 = Vector256.Load(s + 1 * RS + 2 * LP + 0);
            var d1_3 = Vector256.Load(s + 1 * RS + 3 * LP + 0);
            var d1_4 = Vector256.Load(s + 1 * RS + 0 * LP + 1);
            var d1_5 = Vector256.Load(s + 1 * RS + 1 * LP + 1);
            var d2_0 = Vector256.Load(s + 2 * RS + 0 * LP + 0);
            var d2_1 = Vector256.Load(s + 2 * RS + 1 * LP + 0);
            var d2_2 = Vector256.Load(s + 2 * RS + 2 * LP + 0);
            var d2_3 = Vector256.Load(s + 2 * RS + 3 * LP + 0);
            var d2_4 = Vector256.Load(s + 2 * RS + 0 * LP + 1);
            var d2_5 = Vector256.Load(s + 2 * RS + 1 * LP + 1);
            var d3_0 = Vector256.Load(s + 3 * RS + 0 * LP + 0);
            var d3_1 = Vector256.Load(s + 3 * RS + 1 * LP + 0);
            var d3_2 = Vector256.Load(s + 3 * RS + 2 * LP + 0);
            var d3_3 = Vector256.Load(s + 3 * RS + 3 * LP + 0);
            var d3_4 = Vector256.Load(s + 3 * RS + 0 * LP + 1);
            var d3_5 = Vector256.Load(s + 3 * RS + 1 * LP + 1);
            var d4_0 = Vector256.Load(s + 4 * RS + 0 * LP + 0);
            var d4_1 = Vector256.Load(s + 4 * RS + 1 * LP + 0);
            var d4_2 = Vector256.Load(s + 4 * RS + 2 * LP + 0);
            var d4_3 = Vector256.Load(s + 4 * RS + 3 * LP + 0);
            var d4_4 = Vector256.Load(s + 4 * RS + 0 * LP + 1);
            var d4_5 = Vector256.Load(s + 4 * RS + 1 * LP + 1);
            var d5_0 = Vector256.Load(s + 5 * RS + 0 * LP + 0);
            var d5_1 = Vector256.Load(s + 5 * RS + 1 * LP + 0);
            var d5_2 = Vector256.Load(s + 5 * RS + 2 * LP + 0);
            var d5_3 = Vector256.Load(s + 5 * RS + 3 * LP + 0);
            var d5_4 = Vector256.Load(s + 5 * RS + 0 * LP + 1);
            var d5_5 = Vector256.Load(s + 5 * RS + 1 * LP + 1);
            var t0_0 = d0_0 * 4f - d2_0 * 5f + d4_0;
            var t0_1 = d0_1 * 4f - d2_1 * 5f + d4_1;
            var t0_2 = d0_2 * 4f - d2_2 * 5f + d4_2;
            var t0_3 = d0_3 * 4f - d2_3 * 5f + d4_3;
            var t0_4 = d0_4 * 4f - d2_4 * 5f + d4_4;
            var t0_5 = d0_5 * 4f - d2_5 * 5f + d4_5;
            var t1_0 = -(d1_0 * 4f) - d2_0 * 4f + d3_0 + d4_0;
            var t1_1 = -(d1_1 * 4f) - d2_1 * 4f + d3_1 + d4_1;
            var t1_2 = -(d1_2 * 4f) - d2_2 * 4f + d3_2 + d4_2;
            var t1_3 = -(d1_3 * 4f) - d2_3 * 4f + d3_3 + d4_3;
            var t1_4 = -(d1_4 * 4f) - d2_4 * 4f + d3_4 + d4_4;
            var t1_5 = -(d1_5 * 4f) - d2_5 * 4f + d3_5 + d4_5;
            var t2_0 = d1_0 * 4f - d2_0 * 4f - d3_0 + d4_0;
            var t2_1 = d1_1 * 4f - d2_1 * 4f - d3_1 + d4_1;
            var t2_2 = d1_2 * 4f - d2_2 * 4f - d3_2 + d4_2;
            var t2_3 = d1_3 * 4f - d2_3 * 4f - d3_3 + d4_3;
            var t2_4 = d1_4 * 4f - d2_4 * 4f - d3_4 + d4_4;
            var t2_5 = d1_5 * 4f - d2_5 * 4f - d3_5 + d4_5;
            var t3_0 = -(d1_0 * 2f) - d2_0 + d3_0 * 2f + d4_0;
            var t3_1 = -(d1_1 * 2f) - d2_1 + d3_1 * 2f + d4_1;
            var t3_2 = -(d1_2 * 2f) - d2_2 + d3_2 * 2f + d4_2;
            var t3_3 = -(d1_3 * 2f) - d2_3 + d3_3 * 2f + d4_3;
            var t3_4 = -(d1_4 * 2f) - d2_4 + d3_4 * 2f + d4_4;
            var t3_5 = -(d1_5 * 2f) - d2_5 + d3_5 * 2f + d4_5;
            var t4_0 = d1_0 * 2f - d2_0 - d3_0 * 2f + d4_0;
            var t4_1 = d1_1 * 2f - d2_1 - d3_1 * 2f + d4_1;
            var t4_2 = d1_2 * 2f - d2_2 - d3_2 * 2f + d4_2;
            var t4_3 = d1_3 * 2f - d2_3 - d3_3 * 2f + d4_3;
            var t4_4 = d1_4 * 2f - d2_4 - d3_4 * 2f + d4_4;
            var t4_5 = d1_5 * 2f - d2_5 - d3_5 * 2f + d4_5;
            var t5_0 = d1_0 * 4f - d3_0 * 5f + d5_0;
            var t5_1 = d1_1 * 4f - d3_1 * 5f + d5_1;
            var t5_2 = d1_2 * 4f - d3_2 * 5f + d5_2;
            var t5_3 = d1_3 * 4f - d3_3 * 5f + d5_3;
            var t5_4 = d1_4 * 4f - d3_4 * 5f + d5_4;
            var t5_5 = d1_5 * 4f - d3_5 * 5f + d5_5;
            Vector256.Store(t0_0 * 4f - t0_2 * 5f + t0_4, dst + 0 * C * PP);
            Vector256.Store(-(t0_1 * 4f) - t0_2 * 4f + t0_3 + t0_4, dst + 1 * C * PP);
            Vector256.Store(t0_1 * 4f - t0_2 * 4f - t0_3 + t0_4, dst + 2 * C * PP);
            Vector256.Store(-(t0_1 * 2f) - t0_2 + t0_3 * 2f + t0_4, dst + 3 * C * PP);
            Vector256.Store(t0_1 * 2f - t0_2 - t0_3 * 2f + t0_4, dst + 4 * C * PP);
            Vector256.Store(t0_1 * 4f - t0_3 * 5f + t0_5, dst + 5 * C * PP);
            Vector256.Store(t1_0 * 4f - t1_2 * 5f + t1_4, dst + 6 * C * PP);
            Vector256.Store(-(t1_1 * 4f) - t1_2 * 4f + t1_3 + t1_4, dst + 7 * C * PP);
            Vector256.Store(t1_1 * 4f - t1_2 * 4f - t1_3 + t1_4, dst + 8 * C * PP);
            Vector256.Store(-(t1_1 * 2f) - t1_2 + t1_3 * 2f + t1_4, dst + 9 * C * PP);
            Vector256.Store(t1_1 * 2f - t1_2 - t1_3 * 2f + t1_4, dst + 10 * C * PP);
            Vector256.Store(t1_1 * 4f - t1_3 * 5f + t1_5, dst + 11 * C * PP);
            Vector256.Store(t2_0 * 4f - t2_2 * 5f + t2_4, dst + 12 * C * PP);
            Vector256.Store(-(t2_1 * 4f) - t2_2 * 4f + t2_3 + t2_4, dst + 13 * C * PP);
            Vector256.Store(t2_1 * 4f - t2_2 * 4f - t2_3 + t2_4, dst + 14 * C * PP);
            Vector256.Store(-(t2_1 * 2f) - t2_2 + t2_3 * 2f + t2_4, dst + 15 * C * PP);
            Vector256.Store(t2_1 * 2f - t2_2 - t2_3 * 2f + t2_4, dst + 16 * C * PP);
            Vector256.Store(t2_1 * 4f - t2_3 * 5f + t2_5, dst + 17 * C * PP);
            Vector256.Store(t3_0 * 4f - t3_2 * 5f + t3_4, dst + 18 * C * PP);
            Vector256.Store(-(t3_1 * 4f) - t3_2 * 4f + t3_3 + t3_4, dst + 19 * C * PP);
            Vector256.Store(t3_1 * 4f - t3_2 * 4f - t3_3 + t3_4, dst + 20 * C * PP);
            Vector256.Store(-(t3_1 * 2f) - t3_2 + t3_3 * 2f + t3_4, dst + 21 * C * PP);
            Vector256.Store(t3_1 * 2f - t3_2 - t3_3 * 2f + t3_4, dst + 22 * C * PP);
            Vector256.Store(t3_1 * 4f - t3_3 * 5f + t3_5, dst + 23 * C * PP);
            Vector256.Store(t4_0 * 4f - t4_2 * 5f + t4_4, dst + 24 * C * PP);
            Vector256.Store(-(t4_1 * 4f) - t4_2 * 4f + t4_3 + t4_4, dst + 25 * C * PP);
            Vector256.Store(t4_1 * 4f - t4_2 * 4f - t4_3 + t4_4, dst + 26 * C * PP);
            Vector256.Store(-(t4_1 * 2f) - t4_2 + t4_3 * 2f + t4_4, dst + 27 * C * PP);
            Vector256.Store(t4_1 * 2f - t4_2 - t4_3 * 2f + t4_4, dst + 28 * C * PP);
            Vector256.Store(t4_1 * 4f - t4_3 * 5f + t4_5, dst + 29 * C * PP);
            Vector256.Store(t5_0 * 4f - t5_2 * 5f + t5_4, dst + 30 * C * PP);
            Vector256.Store(-(t5_1 * 4f) - t5_2 * 4f + t5_3 + t5_4, dst + 31 * C * PP);
            Vector256.Store(t5_1 * 4f - t5_2 * 4f - t5_3 + t5_4, dst + 32 * C * PP);
            Vector256.Store(-(t5_1 * 2f) - t5_2 + t5_3 * 2f + t5_4, dst + 33 * C * PP);
            Vector256.Store(t5_1 * 2f - t5_2 - t5_3 * 2f + t5_4, dst + 34 * C * PP);
            Vector256.Store(t5_1 * 4f - t5_3 * 5f + t5_5, dst + 35 * C * PP);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Product(int i)
    {
        int xi = i / NOCT, t = i % NOCT;
        float* w = u + (long)(xi * NOCT + t) * C * TOCL;
        float* x = vt + (long)xi * C * PP;
        float* o = mt + (long)xi * P * OCP + t * TOCL;
        for (int p = 0; p < 48; p += 12) G12(x + p, w, o + (long)p * OCP);
        G1(x + 48, w, o + 48 * OCP);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void G12(float* x, float* w, float* o)
    {
        Vector512<float> a0_0 = default, a0_1 = default, a0_2 = default, a0_3 = default, a0_4 = default, a0_5 = default, a0_6 = default, a0_7 = default, a0_8 = default, a0_9 = default, a0_10 = default, a0_11 = default;
        Vector512<float> a1_0 = default, a1_1 = default, a1_2 = default, a1_3 = default, a1_4 = default, a1_5 = default, a1_6 = default, a1_7 = default, a1_8 = default, a1_9 = default, a1_10 = default, a1_11 = default;
        for (int ic = 0; ic < C; ic++, x += PP, w += TOCL)
        {
            Vector512<float> w0 = Vector512.Load(w + 0);
            Vector512<float> w1 = Vector512.Load(w + 16);
            Vector512<float> v;
            v = Vector512.Create(x[0]); a0_0 = F(w0, v, a0_0); a1_0 = F(w1, v, a1_0);
            v = Vector512.Create(x[1]); a0_1 = F(w0, v, a0_1); a1_1 = F(w1, v, a1_1);
            v = Vector512.Create(x[2]); a0_2 = F(w0, v, a0_2); a1_2 = F(w1, v, a1_2);
            v = Vector512.Create(x[3]); a0_3 = F(w0, v, a0_3); a1_3 = F(w1, v, a1_3);
            v = Vector512.Create(x[4]); a0_4 = F(w0, v, a0_4); a1_4 = F(w1, v, a1_4);
            v = Vector512.Create(x[5]); a0_5 = F(w0, v, a0_5); a1_5 = F(w1, v, a1_5);
            v = Vector512.Create(x[6]); a0_6 = F(w0, v, a0_6); a1_6 = F(w1, v, a1_6);
            v = Vector512.Create(x[7]); a0_7 = F(w0, v, a0_7); a1_7 = F(w1, v, a1_7);
            v = Vector512.Create(x[8]); a0_8 = F(w0, v, a0_8); a1_8 = F(w1, v, a1_8);
            v = Vector512.Create(x[9]); a0_9 = F(w0, v, a0_9); a1_9 = F(w1, v, a1_9);
            v = Vector512.Create(x[10]); a0_10 = F(w0, v, a0_10); a1_10 = F(w1, v, a1_10);
            v = Vector512.Create(x[11]); a0_11 = F(w0, v, a0_11); a1_11 = F(w1, v, a1_11);
        }
        Vector512.Store(a0_0, o + 0 * OCP + 0);
        Vector512.Store(a1_0, o + 0 * OCP + 16);
        Vector512.Store(a0_1, o + 1 * OCP + 0);
        Vector512.Store(a1_1, o + 1 * OCP + 16);
        Vector512.Store(a0_2, o + 2 * OCP + 0);
        Vector512.Store(a1_2, o + 2 * OCP + 16);
        Vector512.Store(a0_3, o + 3 * OCP + 0);
        Vector512.Store(a1_3, o + 3 * OCP + 16);
        Vector512.Store(a0_4, o + 4 * OCP + 0);
        Vector512.Store(a1_4, o + 4 * OCP + 16);
        Vector512.Store(a0_5, o + 5 * OCP + 0);
        Vector512.Store(a1_5, o + 5 * OCP + 16);
        Vector512.Store(a0_6, o + 6 * OCP + 0);
        Vector512.Store(a1_6, o + 6 * OCP + 16);
        Vector512.Store(a0_7, o + 7 * OCP + 0);
        Vector512.Store(a1_7, o + 7 * OCP + 16);
        Vector512.Store(a0_8, o + 8 * OCP + 0);
        Vector512.Store(a1_8, o + 8 * OCP + 16);
        Vector512.Store(a0_9, o + 9 * OCP + 0);
        Vector512.Store(a1_9, o + 9 * OCP + 16);
        Vector512.Store(a0_10, o + 10 * OCP + 0);
        Vector512.Store(a1_10, o + 10 * OCP + 16);
        Vector512.Store(a0_11, o + 11 * OCP + 0);
        Vector512.Store(a1_11, o + 11 * OCP + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void G1(float* x, float* w, float* o)
    {
        Vector512<float> a0_0 = default;
        Vector512<float> a1_0 = default;
        for (int ic = 0; ic < C; ic++, x += PP, w += TOCL)
        {
            Vector512<float> w0 = Vector512.Load(w + 0);
            Vector512<float> w1 = Vector512.Load(w + 16);
            Vector512<float> v;
            v = Vector512.Create(x[0]); a0_0 = F(w0, v, a0_0); a1_0 = F(w1, v, a1_0);
        }
        Vector512.Store(a0_0, o + 0 * OCP + 0);
        Vector512.Store(a1_0, o + 0 * OCP + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void OutputTransform(int p, float* o)
    {
        int ty = p / TW, tx = p % TW, y0 = ty * M, x0 = tx * M;
        int rows = Math.Min(M, OH - y0), cols = Math.Min(M, OW - x0);
        float* r = stackalloc float[M * M * V];
        for (int q = 0; q < OCP; q += V)
        {
            float* s = mt + (long)p * OCP + q;
            var m0_0 = Vector512.Load(s + 0 * P * OCP);
            var m0_1 = Vector512.Load(s + 1 * P * OCP);
            var m0_2 = Vector512.Load(s + 2 * P * OCP);
            var m0_3 = Vector512.Load(s + 3 * P * OCP);
            var m0_4 = Vector512.Load(s + 4 * P * OCP);
            var m0_5 = Vector512.Load(s + 5 * P * OCP);
            var m1_0 = Vector512.Load(s + 6 * P * OCP);
            var m1_1 = Vector512.Load(s + 7 * P * OCP);
            var m1_2 = Vector512.Load(s + 8 * P * OCP);
            var m1_3 = Vector512.Load(s + 9 * P * OCP);
            var m1_4 = Vector512.Load(s + 10 * P * OCP);
            var m1_5 = Vector512.Load(s + 11 * P * OCP);
            var m2_0 = Vector512.Load(s + 12 * P * OCP);
            var m2_1 = Vector512.Load(s + 13 * P * OCP);
            var m2_2 = Vector512.Load(s + 14 * P * OCP);
            var m2_3 = Vector512.Load(s + 15 * P * OCP);
            var m2_4 = Vector512.Load(s + 16 * P * OCP);
            var m2_5 = Vector512.Load(s + 17 * P * OCP);
            var m3_0 = Vector512.Load(s + 18 * P * OCP);
            var m3_1 = Vector512.Load(s + 19 * P * OCP);
            var m3_2 = Vector512.Load(s + 20 * P * OCP);
            var m3_3 = Vector512.Load(s + 21 * P * OCP);
            var m3_4 = Vector512.Load(s + 22 * P * OCP);
            var m3_5 = Vector512.Load(s + 23 * P * OCP);
            var m4_0 = Vector512.Load(s + 24 * P * OCP);
            var m4_1 = Vector512.Load(s + 25 * P * OCP);
            var m4_2 = Vector512.Load(s + 26 * P * OCP);
            var m4_3 = Vector512.Load(s + 27 * P * OCP);
            var m4_4 = Vector512.Load(s + 28 * P * OCP);
            var m4_5 = Vector512.Load(s + 29 * P * OCP);
            var m5_0 = Vector512.Load(s + 30 * P * OCP);
            var m5_1 = Vector512.Load(s + 31 * P * OCP);
            var m5_2 = Vector512.Load(s + 32 * P * OCP);
            var m5_3 = Vector512.Load(s + 33 * P * OCP);
            var m5_4 = Vector512.Load(s + 34 * P * OCP);
            var m5_5 = Vector512.Load(s + 35 * P * OCP);
            var t0_0 = m0_0 + m1_0 + m2_0 + m3_0 + m4_0;
            var t0_1 = m0_1 + m1_1 + m2_1 + m3_1 + m4_1;
            var t0_2 = m0_2 + m1_2 + m2_2 + m3_2 + m4_2;
            var t0_3 = m0_3 + m1_3 + m2_3 + m3_3 + m4_3;
            var t0_4 = m0_4 + m1_4 + m2_4 + m3_4 + m4_4;
            var t0_5 = m0_5 + m1_5 + m2_5 + m3_5 + m4_5;
            var t1_0 = m1_0 - m2_0 + m3_0 * 2f - m4_0 * 2f;
            var t1_1 = m1_1 - m2_1 + m3_1 * 2f - m4_1 * 2f;
            var t1_2 = m1_2 - m2_2 + m3_2 * 2f - m4_2 * 2f;
            var t1_3 = m1_3 - m2_3 + m3_3 * 2f - m4_3 * 2f;
            var t1_4 = m1_4 - m2_4 + m3_4 * 2f - m4_4 * 2f;
            var t1_5 = m1_5 - m2_5 + m3_5 * 2f - m4_5 * 2f;
            var t2_0 = m1_0 + m2_0 + m3_0 * 4f + m4_0 * 4f;
            var t2_1 = m1_1 + m2_1 + m3_1 * 4f + m4_1 * 4f;
            var t2_2 = m1_2 + m2_2 + m3_2 * 4f + m4_2 * 4f;
            var t2_3 = m1_3 + m2_3 + m3_3 * 4f + m4_3 * 4f;
            var t2_4 = m1_4 + m2_4 + m3_4 * 4f + m4_4 * 4f;
            var t2_5 = m1_5 + m2_5 + m3_5 * 4f + m4_5 * 4f;
            var t3_0 = m1_0 - m2_0 + m3_0 * 8f - m4_0 * 8f + m5_0;
            var t3_1 = m1_1 - m2_1 + m3_1 * 8f - m4_1 * 8f + m5_1;
            var t3_2 = m1_2 - m2_2 + m3_2 * 8f - m4_2 * 8f + m5_2;
            var t3_3 = m1_3 - m2_3 + m3_3 * 8f - m4_3 * 8f + m5_3;
            var t3_4 = m1_4 - m2_4 + m3_4 * 8f - m4_4 * 8f + m5_4;
            var t3_5 = m1_5 - m2_5 + m3_5 * 8f - m4_5 * 8f + m5_5;
            Vector512.Store(t0_0 + t0_1 + t0_2 + t0_3 + t0_4, r + 0 * V);
            Vector512.Store(t0_1 - t0_2 + t0_3 * 2f - t0_4 * 2f, r + 1 * V);
            Vector512.Store(t0_1 + t0_2 + t0_3 * 4f + t0_4 * 4f, r + 2 * V);
            Vector512.Store(t0_1 - t0_2 + t0_3 * 8f - t0_4 * 8f + t0_5, r + 3 * V);
            Vector512.Store(t1_0 + t1_1 + t1_2 + t1_3 + t1_4, r + 4 * V);
            Vector512.Store(t1_1 - t1_2 + t1_3 * 2f - t1_4 * 2f, r + 5 * V);
            Vector512.Store(t1_1 + t1_2 + t1_3 * 4f + t1_4 * 4f, r + 6 * V);
            Vector512.Store(t1_1 - t1_2 + t1_3 * 8f - t1_4 * 8f + t1_5, r + 7 * V);
            Vector512.Store(t2_0 + t2_1 + t2_2 + t2_3 + t2_4, r + 8 * V);
            Vector512.Store(t2_1 - t2_2 + t2_3 * 2f - t2_4 * 2f, r + 9 * V);
            Vector512.Store(t2_1 + t2_2 + t2_3 * 4f + t2_4 * 4f, r + 10 * V);
            Vector512.Store(t2_1 - t2_2 + t2_3 * 8f - t2_4 * 8f + t2_5, r + 11 * V);
            Vector512.Store(t3_0 + t3_1 + t3_2 + t3_3 + t3_4, r + 12 * V);
            Vector512.Store(t3_1 - t3_2 + t3_3 * 2f - t3_4 * 2f, r + 13 * V);
            Vector512.Store(t3_1 + t3_2 + t3_3 * 4f + t3_4 * 4f, r + 14 * V);
            Vector512.Store(t3_1 - t3_2 + t3_3 * 8f - t3_4 * 8f + t3_5, r + 15 * V);
            int tile = q / TOCL, lane0 = q % TOCL;
            for (int l = 0; l < V; l++)
            {
                int lane = lane0 + l, oc = tile * TOC + lane;
                if (lane >= TOC || oc >= OC) break;
                float* plane = o + (long)oc * OHW + y0 * OW + x0;
                if (rows == M && cols == M)
                {
                    plane[0 * OW + 0] = r[0 * V + l]; plane[0 * OW + 1] = r[1 * V + l]; plane[0 * OW + 2] = r[2 * V + l]; plane[0 * OW + 3] = r[3 * V + l]; 
                    plane[1 * OW + 0] = r[4 * V + l]; plane[1 * OW + 1] = r[5 * V + l]; plane[1 * OW + 2] = r[6 * V + l]; plane[1 * OW + 3] = r[7 * V + l]; 
                    plane[2 * OW + 0] = r[8 * V + l]; plane[2 * OW + 1] = r[9 * V + l]; plane[2 * OW + 2] = r[10 * V + l]; plane[2 * OW + 3] = r[11 * V + l]; 
                    plane[3 * OW + 0] = r[12 * V + l]; plane[3 * OW + 1] = r[13 * V + l]; plane[3 * OW + 2] = r[14 * V + l]; plane[3 * OW + 3] = r[15 * V + l]; 
                    continue;
                }
                for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) plane[i * OW + j] = r[(i * M + j) * V + l];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> F(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    void Scalar(float* d, float* o)
    {
        for (int n = 0; n < N; n++)
        for (int oc = 0; oc < OC; oc++)
        for (int y = 0; y < OH; y++)
        for (int x = 0; x < OW; x++)
        {
            float sum = 0;
            for (int ic = 0; ic < C; ic++)
            for (int kh = 0; kh < 3; kh++)
            {
                int iy = y - PT + kh;
                if ((uint)iy >= H) continue;
                for (int kw = 0; kw < 3; kw++)
                {
                    int ix = x - PL + kw;
                    if ((uint)ix >= W) continue;
                    sum += d[(((long)n * C + ic) * H + iy) * W + ix] * wo[((oc * C + ic) * 3 + kh) * 3 + kw];
                }
            }
            o[(((long)n * OC + oc) * OH + y) * OW + x] = sum;
        }
    }
}
