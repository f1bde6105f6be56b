using System.Text;
using Tessel.Templates.Scaffold;

namespace Tessel.Templates.Dense;

/// <summary>Writes the C# kernel of one dense config on the <see cref="KernelClass"/> scaffold. Every extent is a
/// constant; each occurring tile size (full and tail) gets its own fully unrolled register tile of local vector
/// accumulators (<c>Vector256</c> or <c>Vector512</c>, V = 8 or 16 floats, by <c>vec_bits</c>).
/// <para>vec=m: the weight is packed per m-tile as <c>[k][L]</c>, L = tile_m rounded up to V (zero rows
/// pad it), so a k step loads ceil(tile_m/V) vectors and broadcasts one data scalar per batch row, and prefetches the
/// panel 2 KiB ahead where a step is two or more whole cache lines.
/// vec=k: the weight stays [M][K]; a k step loads V consecutive k of each weight row and each data row,
/// and the dot products are summed across lanes at the end of the chunk.</para>
/// <para>The reduction is split in <c>tile_k</c> chunks; the first chunk writes the output, later ones add, and the
/// last one's stores pass through the fused epilogue (bias and activation per output unit), where there is one.</para></summary>
internal static class DenseEmitter
{
    public static string Emit(DenseParams p, DenseSchedule s, string className, FusedEpilogue? epi)
    {
        var vw = s.Width;
        int v = vw.Lanes;
        int tm = Math.Min(s.TileM, p.M), tn = Math.Min(s.TileN, p.N), tk = Math.Min(s.TileK, p.K);
        var lanes = s.VecM ? (tm + v - 1) / v * v : 0;
        int nmt = (p.M + tm - 1) / tm, nnt = (p.N + tn - 1) / tn, nkt = (p.K + tk - 1) / tk;
        var nSizes = Sizes(p.N, tn);
        var mSizes = s.VecM ? [tm] : Sizes(p.M, tm);

        var tile = new StringBuilder();
        tile.Append("""
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void WorkItem(int t) => Tile(t, cx, co);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Tile(int t, float* x, float* o)
    {
        int m0 = t * TM, tm = Math.Min(TM, M - m0);
        for (int kt = 0; kt < NKT; kt++)
        {
            int k0 = kt * TK, k1 = Math.Min(K, k0 + TK);
            bool first = kt == 0, last = kt == NKT - 1;
            for (int nt = 0; nt < NNT; nt++)
            {
                int n0 = nt * TN, tn = Math.Min(TN, N - n0);

""");
        foreach (var nn in nSizes)
        foreach (var mm in mSizes)
        {
            var guard = s.VecM ? $"tn == {nn}" : $"tn == {nn} && tm == {mm}";
            tile.Append($"                if ({guard}) {{ Micro_{nn}_{mm}(x, o, t, m0, tm, n0, k0, k1, first, last); continue; }}\n");
        }
        tile.Append("""
            }
        }
    }

""");
        tile.Append(Put(vw, epi is not null));
        tile.Append(s.VecM
            ? "    float Weight(int m, int k) => wp[((long)(m / TM) * K + k) * L + m % TM];\n"
            : "    float Weight(int m, int k) => wp[(long)m * K + k];\n");
        foreach (var nn in nSizes)
        foreach (var mm in mSizes)
            tile.Append(s.VecM ? MicroVecM(vw, nn, mm, lanes / v, s.UnrollK) : MicroVecK(vw, nn, mm, s.UnrollK, epi is not null));

        return new KernelClass
        {
            Name = className,
            Summary = $"{p} | tile_m={tm} tile_n={tn} tile_k={tk} vec={(s.VecM ? "m" : "k")} unroll_k={s.UnrollK} parallel={s.Parallel} vec_bits={vw.Bits}",
            Width = vw,
            Constants = $$"""
    const int N = {{p.N}}, K = {{p.K}}, M = {{p.M}}, OC = M, TM = {{tm}}, TN = {{tn}}, TK = {{tk}}, L = {{lanes}};
    const int NMT = {{nmt}}, NNT = {{nnt}}, NKT = {{nkt}};
""",
            Fields = "    float* wp;\n",
            WeightLength = "M * K",
            Packing = s.VecM
                ? $$"""
        wp = PackedWeight(NMT * K * L, out var fill);
        if (fill)
        for (int t = 0; t < NMT; t++)
        for (int k = 0; k < K; k++)
        for (int j = 0; j < L; j++)
        {
            int m = t * TM + j;
            wp[((long)t * K + k) * L + j] = j < TM && m < M ? weight[m * K + k] : 0f;
        }
"""
                : "        wp = PackedWeight(M * K, out var fill);\n        if (fill) weight.CopyTo(new Span<float>(wp, M * K));\n",
            // Whole-vector bias loads of the last m tile read up to L lanes past its start.
            BiasSlots = "NMT * TM + 64",
            Epilogue = epi,
            Run = $$"""
        if (!{{(s.Parallel ? "true" : "false")}}) { for (int t = 0; t < NMT; t++) Tile(t, data, output); return; }
        cx = data; co = output;
        Parallel(NMT, workItem);
""",
            Fallback = KernelClass.DenseFallback,
            // Each thread streams one contiguous run of m panels, the same on every call (its share stays in its core's caches).
            SplitByRange = true,
            Members = tile.ToString(),
        }.Write();
    }

    /// <summary>The full tile size, and the tail size when the extent is not a multiple of it.</summary>
    private static int[] Sizes(int extent, int tile) => extent % tile == 0 ? [tile] : [tile, extent % tile];

    /// <summary>Writes (first chunk) or adds (later chunks) the first <c>count</c> lanes of a vector; on the last
    /// chunk, with a fused epilogue, through it with the biases of the units from <c>m</c> on.
    /// It must inline (no <c>stackalloc</c> for the partial vector, which forbids it): called, with every vector register
    /// the callee's to clobber, it left the JIT keeping an accumulator on the stack through the whole k loop, a store and
    /// a reload on each FMA's chain (the default 1x16 tile at batch 1: 0.47 -> 0.15 ms).</summary>
    private static string Put(VectorWidth vw, bool epi)
    {
        var (vt, v) = (vw.Type, vw.Lanes);
        if (!epi)
            return $$"""
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Put(float* dst, {{vt}}<float> v, int count, bool first, bool last, int m)
    {
        if (count >= {{v}})
        {
            if (!first) v += {{vt}}.Load(dst);
            v.Store(dst);
            return;
        }
        for (int i = 0; i < count; i++) dst[i] = first ? v.GetElement(i) : dst[i] + v.GetElement(i);
    }

""";
        return $$"""
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void Put(float* dst, {{vt}}<float> v, int count, bool first, bool last, int m)
    {
        if (count >= {{v}})
        {
            if (!first) v += {{vt}}.Load(dst);
            if (last) v = Epi(v, {{vt}}.Load(bp + m));
            v.Store(dst);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            float sum = first ? v.GetElement(i) : dst[i] + v.GetElement(i);
            dst[i] = last ? EpiS(sum, bp[m + i]) : sum;
        }
    }

""";
    }

    private static string MicroVecM(VectorWidth vw, int tn, int tm, int vectors, bool unroll)
    {
        var (vt, v) = (vw.Type, vw.Lanes);
        var b = new StringBuilder();
        b.Append($$"""

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Micro_{{tn}}_{{tm}}(float* x, float* o, int t, int m0, int tm, int n0, int k0, int k1, bool first, bool last)
    {
        float* wt = wp + (long)t * K * L;

""");
        // With few accumulators (batch 1: one per vector of the panel) the FMA latency, not the weight read, bounds the k
        // loop; an unrolled loop then gives its odd steps accumulators of their own, summed at the end: twice the chains.
        var split = unroll && tn * vectors <= 4;
        for (var n = 0; n < tn; n++)
        {
            b.Append($"        float* x{n} = x + (long)(n0 + {n}) * K;\n");
            for (var j = 0; j < vectors; j++) b.Append($"        var a{n}_{j} = {vt}<float>.Zero;\n");
            if (split)
                for (var j = 0; j < vectors; j++) b.Append($"        var b{n}_{j} = {vt}<float>.Zero;\n");
        }
        // A software prefetch 2 KiB ahead in the panel, one per cache line of a k step, where a step is two or more whole
        // lines: with the hardware prefetcher alone, batch-1 2048->1000 (32-output panels, 2 lines a step) ran 0.103-0.112 ms
        // (median) on a Zen 5 core, with it 0.087-0.107 (4 KiB ahead: 0.088-0.100). Steps of 24 floats (lines straddled) ran
        // 4-32% slower with it, steps of one line 2-13%. A prefetch never faults, so one past the panel's end is harmless
        // (Sse.IsSupported is a constant to the JIT).
        var lineFloats = 64 / sizeof(float);
        var prefetch = vectors * v % lineFloats == 0 && vectors * v >= 2 * lineFloats;
        var ahead = Math.Max(1, 2048 / (vectors * v * sizeof(float)));
        void Step(string k, string into = "a")
        {
            if (prefetch)
                for (var j = 0; j < vectors * v; j += lineFloats) b.Append($"            if (Sse.IsSupported) Sse.Prefetch0(wt + (long)({k} + {ahead}) * L + {j});\n");
            for (var j = 0; j < vectors; j++) b.Append($"            var w{j} = {vt}.Load(wt + (long)({k}) * L + {v * j});\n");
            for (var n = 0; n < tn; n++)
            {
                b.Append($"            var d{n} = {vt}.Create(x{n}[{k}]);\n");
                for (var j = 0; j < vectors; j++) b.Append($"            {into}{n}_{j} = Fma(d{n}, w{j}, {into}{n}_{j});\n");
            }
        }
        b.Append("        int k = k0;\n");
        if (unroll)
        {
            b.Append("        for (; k + 2 <= k1; k += 2)\n        {\n            {\n");
            Step("k");
            b.Append("            }\n            {\n");
            Step("k + 1", split ? "b" : "a");
            b.Append("            }\n        }\n");
        }
        b.Append("        for (; k < k1; k++)\n        {\n");
        Step("k");
        b.Append("        }\n");
        for (var n = 0; n < tn; n++)
        {
            if (split)
                for (var j = 0; j < vectors; j++) b.Append($"        a{n}_{j} += b{n}_{j};\n");
            b.Append($"        float* o{n} = o + (long)(n0 + {n}) * M + m0;\n");
            for (var j = 0; j < vectors; j++) b.Append($"        Put(o{n} + {v * j}, a{n}_{j}, tm - {v * j}, first, last, m0 + {v * j});\n");
        }
        b.Append("    }\n");
        return b.ToString();
    }

    private static string MicroVecK(VectorWidth vw, int tn, int tm, bool unroll, bool epi)
    {
        var (vt, v) = (vw.Type, vw.Lanes);
        var b = new StringBuilder();
        b.Append($$"""

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Micro_{{tn}}_{{tm}}(float* x, float* o, int t, int m0, int tm, int n0, int k0, int k1, bool first, bool last)
    {

""");
        for (var n = 0; n < tn; n++) b.Append($"        float* x{n} = x + (long)(n0 + {n}) * K;\n");
        for (var j = 0; j < tm; j++) b.Append($"        float* w{j} = wp + (long)(m0 + {j}) * K;\n");
        for (var n = 0; n < tn; n++)
        for (var j = 0; j < tm; j++) b.Append($"        var a{n}_{j} = {vt}<float>.Zero;\n");
        void Step(string k)
        {
            for (var j = 0; j < tm; j++) b.Append($"            var v{j} = {vt}.Load(w{j} + {k});\n");
            for (var n = 0; n < tn; n++)
            {
                b.Append($"            var d{n} = {vt}.Load(x{n} + {k});\n");
                for (var j = 0; j < tm; j++) b.Append($"            a{n}_{j} = Fma(d{n}, v{j}, a{n}_{j});\n");
            }
        }
        b.Append("        int k = k0;\n");
        if (unroll)
        {
            b.Append($"        for (; k + {2 * v} <= k1; k += {2 * v})\n        {{\n            {{\n");
            Step("k");
            b.Append("            }\n            {\n");
            Step($"k + {v}");
            b.Append("            }\n        }\n");
        }
        b.Append($"        for (; k + {v} <= k1; k += {v})\n        {{\n");
        Step("k");
        b.Append("        }\n");
        for (var n = 0; n < tn; n++)
        for (var j = 0; j < tm; j++) b.Append($"        float s{n}_{j} = {vt}.Sum(a{n}_{j});\n");
        b.Append("        for (; k < k1; k++)\n        {\n");
        for (var n = 0; n < tn; n++)
        for (var j = 0; j < tm; j++) b.Append($"            s{n}_{j} += x{n}[k] * w{j}[k];\n");
        b.Append("        }\n");
        for (var n = 0; n < tn; n++)
        for (var j = 0; j < tm; j++)
            b.Append(epi
                ? $"        {{ float* q = o + (long)(n0 + {n}) * M + m0 + {j}; float sum = first ? s{n}_{j} : *q + s{n}_{j}; *q = last ? EpiS(sum, bp[m0 + {j}]) : sum; }}\n"
                : $"        {{ float* q = o + (long)(n0 + {n}) * M + m0 + {j}; *q = first ? s{n}_{j} : *q + s{n}_{j}; }}\n");
        b.Append("    }\n");
        return b.ToString();
    }
}
