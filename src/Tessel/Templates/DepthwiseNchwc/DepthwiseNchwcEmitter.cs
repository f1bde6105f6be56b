using Tessel.Templates.Scaffold;
using System.Text;
using Tessel.Templates.Depthwise;

namespace Tessel.Templates.DepthwiseNchwc;

/// <summary>Writes the C# kernel of one blocked depthwise config: data and output NCHW[b]c
/// (<see cref="Layouts.ChannelBlocks"/>), weights packed as <c>[block][kh][kw][b]</c> (zero past the last channel).
/// A register tile is R vectors of a block's channels x tile_ow output columns; per kernel row it holds the row's
/// KW weight vectors and loads each input column the tile touches once, feeding every (column, kw) pair that
/// reads it (at stride 1 a 3-wide window loads tile_ow + 2 columns for 3 x tile_ow FMAs).
/// <para>No padded copy: rows outside the input are skipped by the kernel-row range of each output row, and the
/// few output columns whose window crosses the left or right border take a checked one-column path, so the
/// interior tiles read the input in place.</para>
/// <para>Padding lanes of the last block compute with zero weights and are stored like the rest: depthwise lanes
/// never mix, so they reach no real channel.</para></summary>
internal static class DepthwiseNchwcEmitter
{
    public static string Emit(DepthwiseParams p, DepthwiseNchwcSchedule s, string className, FusedEpilogue? epi)
    {
        var vw = s.Width;
        int v = vw.Lanes, block = s.Block, vectors = s.BlockVectors;
        int oh = p.OH, ow = p.OW, toh = Math.Min(s.TileOh, oh);
        // Interior columns: every kw of the window inside the input.
        var cl = Math.Min(ow, (p.PadLeft + p.StrideW - 1) / p.StrideW);
        var lastStart = p.W - 1 + p.PadLeft - (p.KW - 1) * p.DilationW;
        var cr = Math.Max(cl, lastStart < 0 ? cl : Math.Min(ow, lastStart / p.StrideW + 1));
        var tow = Math.Max(1, Math.Min(s.TileOw, cr - cl));
        int full = (cr - cl) / tow, tail = (cr - cl) % tow;
        var (epiParams, epiArgs) = epi is null ? ("", "") : (", float* bz", ", bz");

        var b = new StringBuilder(12 * 1024);
        b.Append($$"""
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void WorkItem(int i) => Work(i, cx, co);

    // Work item: (image, channel block, tile of output rows).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Work(int i, float* x, float* o)
    {
        int nc = i / NOHT, ohS = (i % NOHT) * TOH, ohE = Math.Min(OH, ohS + TOH);
        float* xb = x + (long)nc * XPS;
        float* w = wp + (nc % CB) * KK;
        float* ob = o + (long)nc * OPS;{{(epi is null ? "" : "\n        float* bz = bp + (nc % CB) * B;")}}
        for (int y = ohS; y < ohE; y++) Row(xb, w, ob, y{{epiArgs}});
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Row(float* xb, float* w, float* ob, int y{{epiParams}})
    {
        // The kernel rows whose input row exists: iy0 + kh * DH in [0, H).
        int iy0 = y * SH - PT;
        int khLo = iy0 >= 0 ? 0 : (-iy0 + DH - 1) / DH, khHi = Math.Min(KH, (H - iy0 + DH - 1) / DH);
        float* x = xb + (long)iy0 * XRS;
        float* o = ob + (long)y * ORS;
        for (int ox = 0; ox < CL; ox++) Edge(x, w, o, ox, khLo, khHi{{epiArgs}});

""");
        if (full > 0)
            b.Append($"        for (int ox = CL; ox < {cl + full * tow}; ox += {tow}) Tile{tow}(x + (ox * SW - PL) * B, w, o + ox * B, khLo, khHi{epiArgs});\n");
        if (tail > 0)
            b.Append($"        Tile{tail}(x + ({cl + full * tow} * SW - PL) * B, w, o + {cl + full * tow} * B, khLo, khHi{epiArgs});\n");
        b.Append($$"""
        for (int ox = CR; ox < OW; ox++) Edge(x, w, o, ox, khLo, khHi{{epiArgs}});
    }

    // One output column whose window crosses the input's left or right border: each kw checked.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Edge(float* x, float* w, float* o, int ox, int khLo, int khHi{{epiParams}})
    {
        for (int r = 0; r < R; r++)
        {
            var a = {{vw.Type}}<float>.Zero;
            for (int kh = khLo; kh < khHi; kh++)
            for (int kw = 0; kw < KW; kw++)
            {
                int ix = ox * SW - PL + kw * DW;
                if ((uint)ix < W) a = F({{vw.Type}}.Load(x + (long)kh * DH * XRS + ix * B + r * V), {{vw.Type}}.Load(w + (kh * KW + kw) * B + r * V), a);
            }
            {{vw.Type}}.Store({{(epi is null ? "a" : $"Epi(a, {vw.Type}.Load(bz + r * V))")}}, o + ox * B + r * V);
        }
    }


""");
        if (full > 0) MicroKernel(b, p, s, tow, epi is not null);
        if (tail > 0) MicroKernel(b, p, s, tail, epi is not null);

        return new KernelClass
        {
            Name = className,
            Summary = $"{p} | nchw{block}c tile_ow={tow} tile_oh={toh} interior columns [{cl}, {cr}) vec_bits={vw.Bits}",
            Width = vw,
            FmaName = "F",
            Constants = $$"""
    const int N = {{p.N}}, C = {{p.C}}, OC = C, H = {{p.H}}, W = {{p.W}}, KH = {{p.KH}}, KW = {{p.KW}};
    const int SH = {{p.StrideH}}, SW = {{p.StrideW}}, DH = {{p.DilationH}}, DW = {{p.DilationW}}, PT = {{p.PadTop}}, PL = {{p.PadLeft}};
    const int OH = {{oh}}, OW = {{ow}}, V = {{v}}, R = {{vectors}}, B = {{block}}, CB = (C + B - 1) / B;
    const int XRS = W * B, XPS = H * XRS, ORS = OW * B, OPS = OH * ORS, KK = KH * KW * B;
    const int TOH = {{toh}}, NOHT = (OH + TOH - 1) / TOH, CL = {{cl}}, CR = {{cr}};
""",
            Layout = "N, C, H * W, B, C, OH * OW, B",
            Fields = """
    float* wp;
""",
            WeightLength = "C * KH * KW",
            Packing = $$"""
        wp = PackedWeight(CB * KK, out var fill);
        if (fill)
        for (int c = 0; c < C; c++)
        for (int k = 0; k < KH * KW; k++)
            wp[(c / B) * KK + k * B + c % B] = weight[c * KH * KW + k];
""",
            Epilogue = epi,
            BiasSlots = "CB * B",
            Run = """
        cx = data; co = output;
        Parallel(N * CB * NOHT, workItem);
""",
            Fallback = KernelClass.ConvFallback("C"),
            Members = b.ToString(),
        }.Write();

    }

    /// <summary>One register tile of <paramref name="tw"/> interior columns: <c>x</c> is the input at the tile's
    /// first window (kernel row 0), <c>o</c> the output at its first column.</summary>
    private static void MicroKernel(StringBuilder b, DepthwiseParams p, DepthwiseNchwcSchedule s, int tw, bool epi)
    {
        var vt = s.Width.Type;
        var epiParams = epi ? ", float* bz" : "";
        b.Append($"    [MethodImpl(MethodImplOptions.AggressiveOptimization)]\n    static void Tile{tw}(float* x, float* w, float* o, int khLo, int khHi{epiParams})\n    {{\n");
        for (var r = 0; r < s.BlockVectors; r++)
            b.Append($"        {vt}<float> ").Append(string.Join(", ", Enumerable.Range(0, tw).Select(c => $"a{r}_{c} = default"))).Append(";\n");
        b.Append($"        {vt}<float> v;\n");
        b.Append("        for (int kh = khLo; kh < khHi; kh++)\n        {\n");
        b.Append("            float* xk = x + (long)kh * (DH * XRS);\n            float* wk = w + kh * (KW * B);\n");
        // Input column j of the tile feeds every (column c, kw) with c * SW + kw * DW == j.
        var readers = Enumerable.Range(0, tw).SelectMany(c => Enumerable.Range(0, p.KW).Select(kw => (c, kw)))
            .GroupBy(t => t.c * p.StrideW + t.kw * p.DilationW).OrderBy(g => g.Key).ToList();
        for (var r = 0; r < s.BlockVectors; r++)
        {
            for (var kw = 0; kw < p.KW; kw++) b.Append($"            var w{r}_{kw} = {vt}.Load(wk + {kw * s.Block + r * s.Width.Lanes});\n");
            foreach (var column in readers)
            {
                b.Append($"            v = {vt}.Load(xk + {column.Key * s.Block + r * s.Width.Lanes});");
                foreach (var (c, kw) in column) b.Append($" a{r}_{c} = F(v, w{r}_{kw}, a{r}_{c});");
                b.Append('\n');
            }
        }
        b.Append("        }\n");
        for (var r = 0; r < s.BlockVectors; r++)
        {
            if (epi) b.Append($"        var bv{r} = {vt}.Load(bz + {r * s.Width.Lanes});\n");
            for (var c = 0; c < tw; c++)
                b.Append($"        {vt}.Store({(epi ? $"Epi(a{r}_{c}, bv{r})" : $"a{r}_{c}")}, o + {c * s.Block + r * s.Width.Lanes});\n");
        }
        b.Append("    }\n\n");
    }
}
