using Tessel.Templates.Scaffold;
using System.Text;

namespace Tessel.Templates.Depthwise;

/// <summary>Writes the C# kernel of one depthwise config. Every extent is a constant; each occurring
/// (rows, columns) tile size gets its own fully unrolled register tile of vector (<c>Vector256</c> or, by <c>vec_bits</c>, <c>Vector512</c>)
/// accumulators, vectors along output columns.
/// <para>Each input plane is padded into scratch just before its channel is computed, stored as <c>stride_w</c>
/// phases per row (padded column c goes to phase c % s at index c / s) with slack columns, so every kw reads
/// contiguous input and full-vector loads stay in bounds. Each thread owns one scratch plane and reuses it for
/// all its channels, so the copy stays in L1/L2 instead of streaming a padded copy of the whole tensor through
/// memory. Padding cells are zeroed once and never written again (every channel's plane has the same shape).</para>
/// <para>In a tile, an input row used by several output rows (row offsets r*SH + kh*DH that coincide) is
/// loaded once and feeds all of them.</para></summary>
internal static class DepthwiseEmitter
{
    public static string Emit(DepthwiseParams p, DepthwiseSchedule s, string className, FusedEpilogue? epi)
    {
        int oh = p.OH, ow = p.OW;
        int tc = Math.Min(s.TileC, p.C), toh = Math.Min(s.TileOh, oh), tow = Math.Min(s.TileOw, ow);
        int ph = p.H + p.PadTop + p.PadBottom, pw = p.W + p.PadLeft + p.PadRight;
        var lp = (pw + p.StrideW - 1) / p.StrideW + 16;
        var rs = p.StrideW * lp;
        var ps = ph * rs;
        var nct = (p.C + tc - 1) / tc;
        var vw = s.Width;
        var vt = vw.Type;
        var b = new StringBuilder(8 * 1024);
        b.Append($$"""
    /// <summary>Work items (images x channel tiles) are cut into one contiguous share per thread, each with its own scratch plane.</summary>
    int Parts => Math.Min(threads, N * NCT);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void WorkItem(int part) => Part(part, cx, co);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Part(int part, float* data, float* output)
    {
        const int total = N * NCT;
        int parts = Parts, end = (part + 1) * total / parts;
        for (int item = part * total / parts; item < end; item++) Work(item, data, output, xp + (long)part * PS);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Work(int item, float* data, float* output, float* plane)
    {
        int n = item / NCT, c1 = Math.Min(C, (item % NCT) * TC + TC);
        for (int c = (item % NCT) * TC; c < c1; c++)
        {
            Pad(data + (long)(n * C + c) * H * W, plane);
            for (int m = 0; m < M; m++)
            {
                int oc = c * M + m;
                float* wc = wp + oc * KH * KW;
                float* o = output + (long)(n * OC + oc) * OH * OW;{{(epi is null ? "" : $"\n                var bo = {vt}.Create(bp[oc]);")}}

""");
        var (outer, inner) = s.RowsOuter ? ("yt < NOHT; yt++", "xt < NOWT; xt++") : ("xt < NOWT; xt++", "yt < NOHT; yt++");
        var (outerVar, innerVar) = s.RowsOuter ? ("yt", "xt") : ("xt", "yt");
        b.Append($"                for (int {outerVar} = 0; {outer})\n");
        b.Append($"                for (int {innerVar} = 0; {inner})\n                {{\n");
        b.Append("                    int y0 = yt * TOH, x0 = xt * TOW, rows = Math.Min(TOH, OH - y0), cols = Math.Min(TOW, OW - x0);\n");
        var rowSizes = Sizes(oh, toh);
        var colSizes = Sizes(ow, tow);
        foreach (var r in rowSizes)
        foreach (var w in colSizes)
            b.Append($"                    if (rows == {r} && cols == {w}) {{ Micro_{r}_{w}(plane, wc, o, y0, x0{(epi is null ? "" : ", bo")}); continue; }}\n");
        b.Append("""
                }
            }
        }
    }

    /// <summary>Copies one input plane into its padded, phase-split scratch plane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Pad(float* src, float* plane)
    {
        for (int y = 0; y < H; y++)
        {
            float* s = src + y * W;
            float* dst = plane + (long)(y + PT) * RS;

""");
        if (p.StrideW == 1)
            b.Append("            Buffer.MemoryCopy(s, dst + PL, W * sizeof(float), W * sizeof(float));\n");
        else if (p.StrideW == 2)
            // Stride 2 is the common case: split 16 columns at a time into their even and odd phases.
            b.Append("""
            float* even = dst, odd = dst + LP;
            int xx = 0;
            if ((PL & 1) == 1) { odd[PL >> 1] = s[0]; xx = 1; }
            var split = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
            for (; xx + 16 <= W; xx += 16)
            {
                var a = Vector256.Shuffle(Vector256.Load(s + xx), split);
                var c = Vector256.Shuffle(Vector256.Load(s + xx + 8), split);
                int j = (xx + PL) >> 1;
                Vector256.Create(a.GetLower(), c.GetLower()).Store(even + j);
                Vector256.Create(a.GetUpper(), c.GetUpper()).Store(odd + j);
            }
            // The tail: one more 16-column pass that overlaps the last (same values), rather than scalar code.
            int last = W - 16 - ((W - 16 + PL) & 1);
            if (xx < W && last >= 0 && last + 16 > xx)
            {
                var a = Vector256.Shuffle(Vector256.Load(s + last), split);
                var c = Vector256.Shuffle(Vector256.Load(s + last + 8), split);
                int j = (last + PL) >> 1;
                Vector256.Create(a.GetLower(), c.GetLower()).Store(even + j);
                Vector256.Create(a.GetUpper(), c.GetUpper()).Store(odd + j);
                xx = last + 16;
            }
            // Rows narrower than 16 (14x14 and 28x28 planes' tails): 8 columns at a time, the last pass overlapping.
            for (; xx + 8 <= W; xx += 8)
            {
                var a = Vector256.Shuffle(Vector256.Load(s + xx), split);
                int j = (xx + PL) >> 1;
                a.GetLower().Store(even + j);
                a.GetUpper().Store(odd + j);
            }
            last = W - 8 - ((W - 8 + PL) & 1);
            if (xx < W && last >= 0 && last + 8 > xx)
            {
                var a = Vector256.Shuffle(Vector256.Load(s + last), split);
                int j = (last + PL) >> 1;
                a.GetLower().Store(even + j);
                a.GetUpper().Store(odd + j);
                xx = last + 8;
            }
            for (; xx < W; xx++) { int pc = xx + PL; ((pc & 1) == 0 ? even : odd)[pc >> 1] = s[xx]; }

""");
        else
            b.Append("""
            for (int f = 0; f < SW; f++)
            {
                int xx = ((f - PL) % SW + SW) % SW;
                float* d = dst + f * LP + (xx + PL) / SW;
                for (; xx < W; xx += SW) *d++ = s[xx];
            }

""");
        b.Append("""
        }
    }

""");
        b.Append(Put(vw));
        foreach (var r in rowSizes)
        foreach (var w in colSizes)
            b.Append(Micro(p, vw, r, w, s.UnrollKw, epi is not null));
        return new KernelClass
        {
            Name = className,
            Summary = $"{p} | tile_c={tc} tile_oh={toh} tile_ow={tow} rows_outer={s.RowsOuter} unroll_kw={s.UnrollKw} vec_bits={vw.Bits}",
            Width = vw,
            Constants = $$"""
    const int N = {{p.N}}, C = {{p.C}}, H = {{p.H}}, W = {{p.W}}, M = {{p.Multiplier}}, OC = C * M, KH = {{p.KH}}, KW = {{p.KW}};
    const int SH = {{p.StrideH}}, SW = {{p.StrideW}}, DH = {{p.DilationH}}, DW = {{p.DilationW}}, PT = {{p.PadTop}}, PL = {{p.PadLeft}};
    const int OH = {{oh}}, OW = {{ow}}, LP = {{lp}}, RS = {{rs}}, PS = {{ps}};
    const int TC = {{tc}}, TOH = {{toh}}, TOW = {{tow}}, NCT = {{nct}}, NOHT = (OH + TOH - 1) / TOH, NOWT = (OW + TOW - 1) / TOW;
""",
            Fields = """
    float[] xArr;
    float* wp, xp;
""",
            WeightLength = "OC * KH * KW",
            Packing = $$"""
        wp = PackedWeight(OC * KH * KW, out var fill);
        if (fill) weight.CopyTo(new Span<float>(wp, OC * KH * KW));
        xp = {{RuntimeNames.PinnedArrays}}.Allocate(Parts * PS + 16, out xArr);
""",
            Epilogue = epi,
            Run = """
        cx = data; co = output;
        Parallel(Parts, workItem);
""",
            Fallback = KernelClass.ConvFallback("C"),
            Members = b.ToString(),
        }.Write();

    }

    private static int[] Sizes(int extent, int tile) => extent % tile == 0 ? [tile] : [tile, extent % tile];

    /// <summary>The first count lanes of a vector, in 8-, 4-, 2- and 1-lane stores (count is a constant at every call, so
    /// the branches fold away): a row tail stores straight from registers, not through a stack copy.</summary>
    private static string Put(VectorWidth vw) => """
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Put(float* dst, Vector256<float> v, int count)
    {
        if (count >= 8) { v.Store(dst); return; }
        var part = v.GetLower();
        if (count >= 4) { part.Store(dst); part = v.GetUpper(); dst += 4; count -= 4; }
        if (count >= 2) { *(double*)dst = part.AsDouble().ToScalar(); part = Vector128.Shuffle(part, Vector128.Create(2, 3, 0, 1)); dst += 2; count -= 2; }
        if (count >= 1) *dst = part.ToScalar();
    }

""" + (vw.Bits == 512 ? """
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Put(float* dst, Vector512<float> v, int count)
    {
        if (count >= 16) { v.Store(dst); return; }
        if (count >= 8) { v.GetLower().Store(dst); Put(dst + 8, v.GetUpper(), count - 8); return; }
        Put(dst, v.GetLower(), count);
    }

""" : "");

    /// <summary>One register tile; with <paramref name="epi"/>, its stores pass through the fused epilogue with
    /// the channel's bias <c>bo</c>.</summary>
    private static string Micro(DepthwiseParams p, VectorWidth vw, int rows, int cols, bool unrollKw, bool epi)
    {
        var (vt, lanes) = (vw.Type, vw.Lanes);
        var vectors = (cols + lanes - 1) / lanes;
        var b = new StringBuilder();
        b.Append($$"""

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Micro_{{rows}}_{{cols}}(float* plane, float* wc, float* o, int y0, int x0{{(epi ? $", {vt}<float> bo" : "")}})
    {
        float* top = plane + (long)y0 * SH * RS + x0;

""");
        for (var r = 0; r < rows; r++)
        for (var v = 0; v < vectors; v++) b.Append($"        var a{r}_{v} = {vt}<float>.Zero;\n");
        // Input row offsets in the tile, each with the (output row, kh) pairs it feeds.
        var offsets = Enumerable.Range(0, rows)
            .SelectMany(r => Enumerable.Range(0, p.KH).Select(kh => (Offset: r * p.StrideH + kh * p.DilationH, r, kh)))
            .GroupBy(t => t.Offset)
            .OrderBy(g => g.Key)
            .ToList();
        void Body(string kw, string column)
        {
            foreach (var group in offsets)
            {
                b.Append("            {\n");
                for (var v = 0; v < vectors; v++)
                    b.Append($"                var in{v} = {vt}.Load(top + {group.Key} * RS + {column} + {lanes * v});\n");
                foreach (var (_, r, kh) in group)
                {
                    b.Append($"                var w{r}_{kh} = {vt}.Create(wc[{kh} * KW + {kw}]);\n");
                    for (var v = 0; v < vectors; v++) b.Append($"                a{r}_{v} = Fma(w{r}_{kh}, in{v}, a{r}_{v});\n");
                }
                b.Append("            }\n");
            }
        }
        if (unrollKw)
        {
            for (var kw = 0; kw < p.KW; kw++)
            {
                var phase = kw * p.DilationW % p.StrideW;
                var shift = kw * p.DilationW / p.StrideW;
                b.Append("        {\n");
                Body(kw.ToString(), $"{phase} * LP + {shift}");
                b.Append("        }\n");
            }
        }
        else
        {
            b.Append("        for (int kw = 0; kw < KW; kw++)\n        {\n");
            b.Append("            int col = (kw * DW % SW) * LP + kw * DW / SW;\n");
            Body("kw", "col");
            b.Append("        }\n");
        }
        for (var r = 0; r < rows; r++)
        for (var v = 0; v < vectors; v++)
            b.Append($"        Put(o + (long)(y0 + {r}) * OW + x0 + {lanes * v}, {(epi ? $"Epi(a{r}_{v}, bo)" : $"a{r}_{v}")}, {Math.Min(lanes, cols - lanes * v)});\n");
        b.Append("    }\n");
        return b.ToString();
    }
}
