using System.Text;

namespace Tessel.Templates.Dense;

/// <summary>Writes the C# kernel of one dense config. Every extent is a constant; each occurring tile
/// size (full and tail) gets its own fully unrolled register tile of local <c>Vector256&lt;float&gt;</c>
/// accumulators.
/// <para>vec=m: the weight is packed per m-tile as <c>[k][L]</c>, L = tile_m rounded up to 8 (zero rows
/// pad it), so a k step loads ceil(tile_m/8) vectors and broadcasts one data scalar per batch row.
/// vec=k: the weight stays [M][K]; a k step loads 8 consecutive k of each weight row and each data row,
/// and the dot products are summed across lanes at the end of the chunk.</para>
/// <para>The reduction is split in <c>tile_k</c> chunks; the first chunk writes the output, later ones add.</para></summary>
internal static class DenseEmitter
{
    public static string Emit(DenseParams p, DenseSchedule s, string className)
    {
        int tm = Math.Min(s.TileM, p.M), tn = Math.Min(s.TileN, p.N), tk = Math.Min(s.TileK, p.K);
        var lanes = s.VecM ? (tm + 7) / 8 * 8 : 0;
        int nmt = (p.M + tm - 1) / tm, nnt = (p.N + tn - 1) / tn, nkt = (p.K + tk - 1) / tk;
        var b = new StringBuilder(8 * 1024);
        b.Append($$"""
{{KernelPrelude.Usings}}

// {{p}} | tile_m={{tm}} tile_n={{tn}} tile_k={{tk}} vec={{(s.VecM ? "m" : "k")}} unroll_k={{s.UnrollK}} parallel={{s.Parallel}}
[SkipLocalsInit]
public sealed unsafe class {{className}} : {{RuntimeNames.Kernel}}
{
    const int N = {{p.N}}, K = {{p.K}}, M = {{p.M}}, TM = {{tm}}, TN = {{tn}}, TK = {{tk}}, L = {{lanes}};
    const int NMT = {{nmt}}, NNT = {{nnt}}, NKT = {{nkt}};

    float[] wArr;
    float* wp;
    int threads;
    // The current call's tensors, for the parallel items: a delegate made once, not a closure per call.
    float* cx, co;
    Action<int> tileItem;

    public void Prepare(ReadOnlySpan<float> weight, int threads)
    {
        if (weight.Length != M * K) throw new ArgumentException("weight has " + weight.Length + " elements, expected " + (M * K));
        this.threads = Math.Max(1, threads);
        tileItem = TileItem;

""");
        if (s.VecM)
            b.Append($$"""
        wp = {{RuntimeNames.PinnedArrays}}.Allocate(NMT * K * L, out wArr);
        for (int t = 0; t < NMT; t++)
        for (int k = 0; k < K; k++)
        for (int j = 0; j < L; j++)
        {
            int m = t * TM + j;
            wp[((long)t * K + k) * L + j] = j < TM && m < M ? weight[m * K + k] : 0f;
        }

""");
        else
            b.Append($$"""
        wp = {{RuntimeNames.PinnedArrays}}.Copy(weight, out wArr);

""");
        b.Append($$"""
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(float* data, float* output)
    {
        if (!Vector256.IsHardwareAccelerated) { Scalar(data, output); return; }
        if (threads == 1 || NMT == 1 || !{{(s.Parallel ? "true" : "false")}}) { for (int t = 0; t < NMT; t++) Tile(t, data, output); return; }
        cx = data; co = output;
        {{RuntimeNames.WorkPool}}.For(NMT, threads, tileItem);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void TileItem(int t) => Tile(t, cx, co);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Tile(int t, float* x, float* o)
    {
        int m0 = t * TM, tm = Math.Min(TM, M - m0);
        for (int kt = 0; kt < NKT; kt++)
        {
            int k0 = kt * TK, k1 = Math.Min(K, k0 + TK);
            bool first = kt == 0;
            for (int nt = 0; nt < NNT; nt++)
            {
                int n0 = nt * TN, tn = Math.Min(TN, N - n0);

""");
        var nSizes = Sizes(p.N, tn);
        var mSizes = s.VecM ? [tm] : Sizes(p.M, tm);
        foreach (var nn in nSizes)
        foreach (var mm in mSizes)
        {
            var guard = s.VecM ? $"tn == {nn}" : $"tn == {nn} && tm == {mm}";
            b.Append($"                if ({guard}) {{ Micro_{nn}_{mm}(x, o, t, m0, tm, n0, k0, k1, first); continue; }}\n");
        }
        b.Append("""
            }
        }
    }

""");
        b.Append(KernelPrelude.FmaHelper("Fma"));
        b.Append("""
    /// <summary>Writes (first chunk) or adds (later chunks) the first <paramref name="count"/> lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Put(float* dst, Vector256<float> v, int count, bool first)
    {
        if (count >= 8)
        {
            if (!first) v += Vector256.Load(dst);
            v.Store(dst);
            return;
        }
        float* tmp = stackalloc float[8];
        v.Store(tmp);
        for (int i = 0; i < count; i++) dst[i] = first ? tmp[i] : dst[i] + tmp[i];
    }

    void Scalar(float* x, float* o)
    {
        for (int n = 0; n < N; n++)
        for (int m = 0; m < M; m++)
        {
            float sum = 0;
            for (int k = 0; k < K; k++) sum += x[n * K + k] * Weight(m, k);
            o[n * M + m] = sum;
        }
    }

""");
        b.Append(s.VecM
            ? "    float Weight(int m, int k) => wp[((long)(m / TM) * K + k) * L + m % TM];\n"
            : "    float Weight(int m, int k) => wp[(long)m * K + k];\n");
        foreach (var nn in nSizes)
        foreach (var mm in mSizes)
            b.Append(s.VecM ? MicroVecM(nn, mm, lanes / 8, s.UnrollK) : MicroVecK(nn, mm, s.UnrollK));
        b.Append("}\n");
        return b.ToString();
    }

    /// <summary>The full tile size, and the tail size when the extent is not a multiple of it.</summary>
    private static int[] Sizes(int extent, int tile) => extent % tile == 0 ? [tile] : [tile, extent % tile];

    private static string MicroVecM(int tn, int tm, int vectors, bool unroll)
    {
        var b = new StringBuilder();
        b.Append($$"""

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Micro_{{tn}}_{{tm}}(float* x, float* o, int t, int m0, int tm, int n0, int k0, int k1, bool first)
    {
        float* wt = wp + (long)t * K * L;

""");
        for (var n = 0; n < tn; n++)
        {
            b.Append($"        float* x{n} = x + (long)(n0 + {n}) * K;\n");
            for (var v = 0; v < vectors; v++) b.Append($"        var a{n}_{v} = Vector256<float>.Zero;\n");
        }
        void Step(string k)
        {
            for (var v = 0; v < vectors; v++) b.Append($"            var w{v} = Vector256.Load(wt + (long)({k}) * L + {8 * v});\n");
            for (var n = 0; n < tn; n++)
            {
                b.Append($"            var d{n} = Vector256.Create(x{n}[{k}]);\n");
                for (var v = 0; v < vectors; v++) b.Append($"            a{n}_{v} = Fma(d{n}, w{v}, a{n}_{v});\n");
            }
        }
        b.Append("        int k = k0;\n");
        if (unroll)
        {
            b.Append("        for (; k + 2 <= k1; k += 2)\n        {\n            {\n");
            Step("k");
            b.Append("            }\n            {\n");
            Step("k + 1");
            b.Append("            }\n        }\n");
        }
        b.Append("        for (; k < k1; k++)\n        {\n");
        Step("k");
        b.Append("        }\n");
        for (var n = 0; n < tn; n++)
        {
            b.Append($"        float* o{n} = o + (long)(n0 + {n}) * M + m0;\n");
            for (var v = 0; v < vectors; v++) b.Append($"        Put(o{n} + {8 * v}, a{n}_{v}, tm - {8 * v}, first);\n");
        }
        b.Append("    }\n");
        return b.ToString();
    }

    private static string MicroVecK(int tn, int tm, bool unroll)
    {
        var b = new StringBuilder();
        b.Append($$"""

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Micro_{{tn}}_{{tm}}(float* x, float* o, int t, int m0, int tm, int n0, int k0, int k1, bool first)
    {

""");
        for (var n = 0; n < tn; n++) b.Append($"        float* x{n} = x + (long)(n0 + {n}) * K;\n");
        for (var j = 0; j < tm; j++) b.Append($"        float* w{j} = wp + (long)(m0 + {j}) * K;\n");
        for (var n = 0; n < tn; n++)
        for (var j = 0; j < tm; j++) b.Append($"        var a{n}_{j} = Vector256<float>.Zero;\n");
        void Step(string k)
        {
            for (var j = 0; j < tm; j++) b.Append($"            var v{j} = Vector256.Load(w{j} + {k});\n");
            for (var n = 0; n < tn; n++)
            {
                b.Append($"            var d{n} = Vector256.Load(x{n} + {k});\n");
                for (var j = 0; j < tm; j++) b.Append($"            a{n}_{j} = Fma(d{n}, v{j}, a{n}_{j});\n");
            }
        }
        b.Append("        int k = k0;\n");
        if (unroll)
        {
            b.Append("        for (; k + 16 <= k1; k += 16)\n        {\n            {\n");
            Step("k");
            b.Append("            }\n            {\n");
            Step("k + 8");
            b.Append("            }\n        }\n");
        }
        b.Append("        for (; k + 8 <= k1; k += 8)\n        {\n");
        Step("k");
        b.Append("        }\n");
        for (var n = 0; n < tn; n++)
        for (var j = 0; j < tm; j++) b.Append($"        float s{n}_{j} = Vector256.Sum(a{n}_{j});\n");
        b.Append("        for (; k < k1; k++)\n        {\n");
        for (var n = 0; n < tn; n++)
        for (var j = 0; j < tm; j++) b.Append($"            s{n}_{j} += x{n}[k] * w{j}[k];\n");
        b.Append("        }\n");
        for (var n = 0; n < tn; n++)
        for (var j = 0; j < tm; j++)
            b.Append($"        {{ float* q = o + (long)(n0 + {n}) * M + m0 + {j}; *q = first ? s{n}_{j} : *q + s{n}_{j}; }}\n");
        b.Append("    }\n");
        return b.ToString();
    }
}
