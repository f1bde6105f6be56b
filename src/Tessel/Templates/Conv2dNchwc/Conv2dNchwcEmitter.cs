using Tessel.Templates.Scaffold;
using System.Text;
using Tessel.Templates.Conv2d;

namespace Tessel.Templates.Conv2dNchwc;

/// <summary>Writes the C# kernel of one blocked conv config: data NCHW[bi]c, output NCHW[bo]c
/// (<see cref="Layouts.ChannelBlocks"/>). The register tile is R vectors of V output channels x tile_ow
/// columns: per (ic, kh, kw) it loads R weight vectors and broadcasts one input scalar per column, and it
/// stores each accumulator as one vector into its channel block, with no transpose (the NCHW template's
/// vec=oc tiles go through a stack buffer to reach their channel planes).
/// <para>Only the input's real channels are read, so its padding lanes never matter; the output's channels
/// are computed in whole vectors (zero weights past OC) and lanes past those are left as they were.
/// Padded inputs are copied once per call into a zero-bordered scratch in the same blocked layout.</para>
/// <para>Weights are packed per oc tile as <c>[ic][kh][kw][R*V]</c>, zero past the last channel.</para></summary>
internal static class Conv2dNchwcEmitter
{
    public static string Emit(Conv2dParams p, Conv2dNchwcSchedule s, string className, FusedEpilogue? epi)
    {
        var vw = s.Width;
        int v = vw.Lanes, bo = s.Block, bi = s.InputBlock(p);
        int toc = s.OcVectors * v, ocv = (p.OC + v - 1) / v * v;
        int noct = (ocv + toc - 1) / toc, lastVectors = (ocv - (noct - 1) * toc) / v;
        int oh = p.OH, ow = p.OW;
        int tow = Math.Min(s.TileOw, ow), toh = Math.Min(s.TileOh, oh), tic = Math.Min(s.TileIc, p.C);
        int noht = (oh + toh - 1) / toh, nict = (p.C + tic - 1) / tic, nowf = ow / tow, rowTail = ow % tow;
        var direct = p.PadTop + p.PadLeft + p.PadBottom + p.PadRight == 0;
        int ph = p.H + p.PadTop + p.PadBottom, pw = p.W + p.PadLeft + p.PadRight;
        var par = s.Parallel;
        var parCount = par == "oc" ? "NOCT" : "NOHT";
        var (epiParams, epiArgs) = epi is null ? ("", "") : (", bool last, float* bz", ", last, bz");

        var b = new StringBuilder(16 * 1024);
        b.Append($$"""
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void WorkItem(int i) => Work(i, cx, co);

    // The padded copy, block plane by block plane: the borders stay zero from allocation.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    float* Pad(float* data)
    {
        cd = data;
        Parallel(N * CB, padItem);
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
        int {{par}}T = i % {{parCount}}, n = i / {{parCount}};

""");
        var indent = "        ";
        foreach (var axis in s.Order.Where(a => a != par))
            b.Append($"{indent}for (int {axis}T = 0; {axis}T < {axis switch { "oc" => "NOCT", "oh" => "NOHT", _ => "NICT" }}; {axis}T++)\n");
        b.Append($$"""
        {
            int icS = icT * TIC, icn = Math.Min(TIC, C - icS), oc0 = ocT * TOC;
            bool first = icT == 0;
{{(epi is null ? "" : "            bool last = icT == NICT - 1;\n            float* bz = bp + oc0;\n")}}            float* w = wp + ocT * WTILE + (long)icS * KK;
            float* xb = x + (long)n * CB * XPS;
            float* ob = o + (long)n * OCB * OPS;
            int ohS = ohT * TOH, ohE = Math.Min(OH, ohS + TOH);

""");
        var call = $"(xb + (long)r * SH * XRS, w, ob + (long)r * ORS, icS, icn, oc0, first{epiArgs})";
        if (lastVectors != s.OcVectors)
            b.Append($"            if (ocT == NOCT - 1) {{ for (int r = ohS; r < ohE; r++) Row{lastVectors}{call}; }}\n            else\n");
        b.Append($"            for (int r = ohS; r < ohE; r++) Row{s.OcVectors}{call};\n        }}\n    }}\n\n");

        foreach (var vectors in lastVectors != s.OcVectors ? new[] { s.OcVectors, lastVectors } : [s.OcVectors])
        {
            b.Append($"    [MethodImpl(MethodImplOptions.AggressiveOptimization)]\n    static void Row{vectors}(float* x, float* w, float* o, int icS, int icn, int oc0, bool " +
                $"first{epiParams})\n    {{\n");
            if (nowf > 0)
                b.Append($"        for (int c = 0; c < {nowf * tow}; c += {tow}) K{vectors}_{tow}(x + c * SW * BI, w, o + c * BO, icS, icn, oc0, first{epiArgs});\n");
            if (rowTail > 0)
                b.Append($"        K{vectors}_{rowTail}(x + {nowf * tow} * SW * BI, w, o + {nowf * tow} * BO, icS, icn, oc0, first{epiArgs});\n");
            b.Append("    }\n\n");
            if (nowf > 0) MicroKernel(b, p, s, vectors, tow, epi is not null);
            if (rowTail > 0) MicroKernel(b, p, s, vectors, rowTail, epi is not null);
        }

        return new KernelClass
        {
            Name = className,
            Summary = $"{p} | nchw{bi}c -> nchw{bo}c tile_oc={s.OcVectors}x{v} tile_ow={tow} tile_oh={toh} tile_ic={tic} order={string.Join(",", s.Order)} " +
                $"unroll_kw={s.UnrollKw} parallel={par} vec_bits={vw.Bits}",
            Width = vw,
            FmaName = "F",
            Constants = $$"""
    const int N = {{p.N}}, C = {{p.C}}, H = {{p.H}}, W = {{p.W}}, OC = {{p.OC}}, KH = {{p.KH}}, KW = {{p.KW}};
    const int SH = {{p.StrideH}}, SW = {{p.StrideW}}, DH = {{p.DilationH}}, DW = {{p.DilationW}}, PT = {{p.PadTop}}, PL = {{p.PadLeft}}, PW = {{pw}};
    const int OH = {{oh}}, OW = {{ow}}, V = {{v}}, BI = {{bi}}, BO = {{bo}}, CB = {{(p.C + bi - 1) / bi}}, OCB = {{(p.OC + bo - 1) / bo}};
    const int XRS = {{(direct ? p.W : pw) * bi}}, XPS = {{(direct ? p.H : ph)}} * XRS, ORS = OW * BO, OPS = OH * ORS;
    const int TOC = {{toc}}, L = TOC, KK = KH * KW * L, TOH = {{toh}}, TIC = {{tic}}, NOCT = {{noct}}, NOHT = {{noht}}, NICT = {{nict}};
    const long WTILE = (long)C * KK, XLEN = {{(direct ? 0L : (long)p.N * ((p.C + bi - 1) / bi) * ph * pw * bi)}};
""",
            Layout = "N, C, H * W, BI, OC, OH * OW, BO",
            Fields = """
    float[] xArr;
    float* wp, xp, cd;
    Action<int> padItem;
""",
            WeightLength = "OC * C * KH * KW",
            Packing = $$"""
        padItem = PadItem;
        wp = PackedWeight((int)(NOCT * WTILE), out var fill);
        if (fill)
        for (int t = 0; t < NOCT; t++)
        for (int ic = 0; ic < C; ic++)
        for (int k = 0; k < KH * KW; k++)
        for (int l = 0; l < L; l++)
        {
            int oc = t * TOC + l;
            wp[t * WTILE + (long)ic * KK + k * L + l] = oc < OC ? weight[(oc * C + ic) * KH * KW + k] : 0f;
        }
        xp = {{RuntimeNames.PinnedArrays}}.Allocate((int)XLEN, out xArr);
""",
            Epilogue = epi,
            BiasSlots = "NOCT * TOC + 64",
            Run = $$"""
        cx = {{(direct ? "data" : "Pad(data)")}}; co = output;
        Parallel(N * {{parCount}}, workItem);
""",
            Fallback = KernelClass.ConvFallback("1"),
            Members = b.ToString(),
        }.Write();

    }

    /// <summary>One register tile: <paramref name="vectors"/> x V output channels from <c>oc0</c>, <paramref name="tw"/>
    /// output columns, reducing over input channels icS .. icS + icn - 1 and the whole window.</summary>
    private static void MicroKernel(StringBuilder b, Conv2dParams p, Conv2dNchwcSchedule s, int vectors, int tw, bool epi)
    {
        var vt = s.Width.Type;
        var epiParams = epi ? ", bool last, float* bz" : "";
        b.Append($"    [MethodImpl(MethodImplOptions.AggressiveOptimization)]\n    static void K{vectors}_{tw}(float* x, float* w, float* o, int icS, int icn, int oc0, bool " +
            $"first{epiParams})\n    {{\n");
        for (var r = 0; r < vectors; r++)
            b.Append($"        {vt}<float> ").Append(string.Join(", ", Enumerable.Range(0, tw).Select(c => $"a{r}_{c} = default"))).Append(";\n");
        b.Append("""
        for (int ic = icS; ic < icS + icn; ic++, w += KK)
        {
            float* xi = x + (ic / BI) * (long)XPS + ic % BI;
            for (int kh = 0; kh < KH; kh++)
            {
                float* xr = xi + kh * (DH * XRS);
                float* wr = w + kh * (KW * L);

""");
        void Body(string xoff, string woff, string ind)
        {
            for (var r = 0; r < vectors; r++) b.Append($"{ind}{vt}<float> w{r} = {vt}.Load(wr + {woff} + {r} * V);\n");
            b.Append($"{ind}float* xk = xr + {xoff};\n{ind}{vt}<float> v;\n");
            for (var c = 0; c < tw; c++)
            {
                b.Append($"{ind}v = {vt}.Create(xk[{c} * SW * BI]);");
                for (var r = 0; r < vectors; r++) b.Append($" a{r}_{c} = F(w{r}, v, a{r}_{c});");
                b.Append('\n');
            }
        }
        if (s.UnrollKw)
            for (var kw = 0; kw < p.KW; kw++)
            {
                b.Append("                {\n");
                Body($"{kw} * DW * BI", $"{kw} * L", "                    ");
                b.Append("                }\n");
            }
        else
        {
            b.Append("                for (int kw = 0; kw < KW; kw++)\n                {\n");
            Body("kw * DW * BI", "kw * L", "                    ");
            b.Append("                }\n");
        }
        b.Append("            }\n        }\n");
        // Each vector of channels lies inside one output block (BO is a multiple of V): its column c is at o{r} + c * BO.
        for (var r = 0; r < vectors; r++)
        {
            b.Append($"        float* o{r} = o + ((oc0 + {r} * V) / BO) * (long)OPS + (oc0 + {r} * V) % BO;");
            if (epi) b.Append($" var bv{r} = {vt}.Load(bz + {r} * V);");
            b.Append('\n');
        }
        for (var r = 0; r < vectors; r++)
        for (var c = 0; c < tw; c++)
        {
            var at = $"o{r} + {c * s.Block}";
            b.Append(epi
                ? $"        {{ var sum = first ? a{r}_{c} : a{r}_{c} + {vt}.Load({at}); {vt}.Store(last ? Epi(sum, bv{r}) : sum, {at}); }}\n"
                : $"        {vt}.Store(first ? a{r}_{c} : a{r}_{c} + {vt}.Load({at}), {at});\n");
        }
        b.Append("    }\n\n");
    }
}
