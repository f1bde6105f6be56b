using Tessel.Templates.Scaffold;
using System.Text;

namespace Tessel.Templates.Conv2d;

/// <summary>Writes the C# kernel of one conv2d_nchw config. The workload is static, so every extent is a
/// constant and each occurring (oc-tile, ow-tile) size pair gets its own fully unrolled register tile
/// of local vector accumulators (<c>Vector256</c> or <c>Vector512</c>, V = 8 or 16 floats, by <c>vec_bits</c>).
/// <para>Input scratch: each padded row is stored as <c>stride_w</c> phases (padded column c goes to
/// phase c % s at index c / s), so a run of output columns reads contiguous input for every kw; each
/// phase has V slack columns so that full-vector loads stay in bounds. With no padding and vec=oc (scalar
/// input loads only) the data is read in place, strided columns at a constant step.</para>
/// <para>Weights are packed per (group, oc tile) as <c>[ic][kh][kw][L]</c>: L = the tile's channels
/// rounded up to V (vec=oc, one vector per V channels, zero-padded) or the tile's channels (vec=ow, scalars
/// to broadcast).</para></summary>
internal static class Conv2dNchwEmitter
{
    public static string Emit(Conv2dParams p, Conv2dSchedule s, string className, FusedEpilogue? epi)
    {
        int icg = p.ICPerGroup, ocg = p.OCPerGroup, oh = p.OH, ow = p.OW;
        int toc = Math.Min(s.TileOc, ocg), tow = Math.Min(s.TileOw, ow), toh = Math.Min(s.TileOh, oh), tic = Math.Min(s.TileIc, icg);
        var direct = IsDirect(p, s);
        var cs = direct ? p.StrideW : 1;
        int ph = p.H + p.PadTop + p.PadBottom, pw = p.W + p.PadLeft + p.PadRight;
        var vw = s.Width;
        var lp = direct ? 0 : (pw + p.StrideW - 1) / p.StrideW + vw.Lanes;
        var rs = direct ? p.W : p.StrideW * lp;
        var ps = direct ? p.H * p.W : ph * rs;
        var lanes = s.VecOc ? (toc + vw.Lanes - 1) / vw.Lanes * vw.Lanes : toc;
        int noct = (ocg + toc - 1) / toc, roc = ocg - (noct - 1) * toc;
        int noht = (oh + toh - 1) / toh, nict = (icg + tic - 1) / tic;
        int nowf = ow / tow, rowTail = ow % tow;

        var b = new StringBuilder(16 * 1024);
        b.Append("""
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void WorkItem(int i) => Work(i, cx, co);

""");
        if (!direct)
        {
            b.Append($$"""
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    float* Pad(float* data)
    {
        cd = data;
        Parallel(N * C, padItem);
        return xp;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void PadItem(int nc) => PadPlane(cd, nc);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void PadPlane(float* data, int nc)
    {
        for (int y = 0; y < H; y++)
        {
            float* src = data + ((long)nc * H + y) * W;
            float* dst = xp + (long)nc * PS + (long)(y + PT) * RS;

""");
            if (p.StrideW == 1)
                b.Append("            Buffer.MemoryCopy(src, dst + PL, W * sizeof(float), W * sizeof(float));\n");
            else
                b.Append("""
            for (int f = 0; f < SW; f++)
            {
                int xx = ((f - PL) % SW + SW) % SW;
                float* d = dst + f * LP + (xx + PL) / SW;
                for (; xx < W; xx += SW) *d++ = src[xx];
            }

""");
            b.Append("        }\n    }\n\n");
        }

        // Work item: (n, g, tile of the parallel axis); the other outer loops nest in the order knob's order.
        var par = s.Parallel;
        b.Append($$"""
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Work(int i, float* x, float* o)
    {
        int {{par}}T = i % {{(par == "oc" ? "NOCT" : "NOHT")}};
        int ng = i / {{(par == "oc" ? "NOCT" : "NOHT")}};
        int g = ng % G, n = ng / G;

""");
        var indent = "        ";
        foreach (var axis in s.Order.Where(a => a != par))
        {
            var count = axis switch { "oc" => "NOCT", "oh" => "NOHT", _ => "NICT" };
            b.Append($"{indent}for (int {axis}T = 0; {axis}T < {count}; {axis}T++)\n");
        }
        b.Append($$"""
        {
            int icS = icT * TIC, icn = Math.Min(TIC, ICG - icS);
            bool first = icT == 0;
{{(epi is null ? "" : "            bool last = icT == NICT - 1;\n            float* bz = bp + g * OCG + ocT * TOC;\n")}}            float* w = wp + (g * NOCT + ocT) * WTILE + (long)icS * KK;
            float* xb = x + ((long)n * C + g * ICG + icS) * PS;
            float* ob = o + ((long)n * OC + g * OCG + ocT * TOC) * OHW;
            int ohS = ohT * TOH, ohE = Math.Min(OH, ohS + TOH);

""");
        // With a fused epilogue, the last ic tile's stores add the bias and apply the function.
        var (epiParams, epiArgs) = epi is null ? ("", "") : (", bool last, float* bz", ", last, bz");
        if (roc != toc)
            b.Append($"            if (ocT == NOCT - 1) {{ for (int r = ohS; r < ohE; r++) Row{roc}(xb + (long)r * SH * RS, w, ob + r * OW, icn, first{epiArgs}); }}\n            else\n");
        b.Append($"            for (int r = ohS; r < ohE; r++) Row{toc}(xb + (long)r * SH * RS, w, ob + r * OW, icn, first{epiArgs});\n        }}\n    }}\n\n");

        foreach (var ocs in roc != toc ? new[] { toc, roc } : [toc])
        {
            b.Append($"    [MethodImpl(MethodImplOptions.AggressiveOptimization)]\n    static void Row{ocs}(float* x, float* w, float* o, int icn, bool first{epiParams})\n    {{\n");
            if (nowf > 0) b.Append($"        for (int c = 0; c < {nowf * tow}; c += {tow}) K{ocs}_{tow}(x + c * CS, w, o + c, icn, first{epiArgs});\n");
            if (rowTail > 0) b.Append($"        K{ocs}_{rowTail}(x + {nowf * tow * cs}, w, o + {nowf * tow}, icn, first{epiArgs});\n");
            b.Append("    }\n\n");
            if (nowf > 0) MicroKernel(b, p, s, ocs, tow, lanes, direct, lp, epi is not null);
            if (rowTail > 0) MicroKernel(b, p, s, ocs, rowTail, lanes, direct, lp, epi is not null);
        }

        return new KernelClass
        {
            Name = className,
            Summary = $"{p} | tile_oc={toc} tile_ow={tow} tile_oh={toh} tile_ic={tic} order={string.Join(",", s.Order)} vec={(s.VecOc ? "oc" : "ow")} " +
                $"unroll_kw={s.UnrollKw} parallel={s.Parallel} vec_bits={vw.Bits}",
            Width = vw,
            FmaName = "F",
            Constants = $$"""
    const int N = {{p.N}}, C = {{p.C}}, H = {{p.H}}, W = {{p.W}}, OC = {{p.OC}}, G = {{p.Groups}}, ICG = {{icg}}, OCG = {{ocg}};
    const int KH = {{p.KH}}, KW = {{p.KW}}, SH = {{p.StrideH}}, SW = {{p.StrideW}}, DH = {{p.DilationH}}, DW = {{p.DilationW}};
    const int PT = {{p.PadTop}}, PL = {{p.PadLeft}}, OH = {{oh}}, OW = {{ow}}, OHW = OH * OW;
    const int CS = {{cs}}, LP = {{lp}}, RS = {{rs}}, PS = {{ps}}, L = {{lanes}}, KK = KH * KW * L;
    const int TOC = {{toc}}, TOH = {{toh}}, TIC = {{tic}}, NOCT = {{noct}}, NOHT = {{noht}}, NICT = {{nict}};
    const long WTILE = (long)ICG * KK, XLEN = {{(direct ? 0L : (long)p.N * p.C * ps + 16)}};
""",
            Fields = "    float[] xArr;\n    float* wp, xp;\n" + (direct ? "" : "    float* cd;\n    Action<int> padItem;\n"),
            WeightLength = "OC * ICG * KH * KW",
            Packing = (direct ? "" : "        padItem = PadItem;\n") + $$"""
        wp = PackedWeight((int)(G * NOCT * WTILE), out var fill);
        if (fill)
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
        xp = {{RuntimeNames.PinnedArrays}}.Allocate((int)XLEN, out xArr);
""",
            Epilogue = epi,
            BiasSlots = "OC + 64",
            Run = $$"""
        cx = {{(direct ? "data" : "Pad(data)")}}; co = output;
        Parallel(N * G * {{(s.Parallel == "oc" ? "NOCT" : "NOHT")}}, workItem);
""",
            Fallback = KernelClass.ConvFallback("G"),
            Members = b.ToString(),
        }.Write();

    }

    /// <summary>One register tile: <paramref name="ocs"/> output channels x <paramref name="tw"/> output columns,
    /// reducing over icn input channels and the whole kernel window. With <paramref name="epi"/>, the stores of
    /// the last ic tile (<c>last</c>) pass through the fused epilogue, channel l's bias at <c>bz[l]</c>.</summary>
    private static void MicroKernel(StringBuilder b, Conv2dParams p, Conv2dSchedule s, int ocs, int tw, int lanes, bool direct, int lp, bool epi)
    {
        var epiParams = epi ? ", bool last, float* bz" : "";
        b.Append($"    [MethodImpl(MethodImplOptions.AggressiveOptimization)]\n    static void K{ocs}_{tw}(float* x, float* w, float* o, int icn, bool first{epiParams})\n    {{\n");
        int v = s.Width.Lanes, rowsA, colsA; // accumulator grid a{r}_{c}
        var vt = s.Width.Type;
        if (s.VecOc) { rowsA = (ocs + v - 1) / v; colsA = tw; }
        else { rowsA = ocs; colsA = (tw + v - 1) / v; }
        for (var r = 0; r < rowsA; r++)
            b.Append($"        {vt}<float> ").Append(string.Join(", ", Enumerable.Range(0, colsA).Select(c => $"a{r}_{c} = default"))).Append(";\n");
        b.Append("        for (int ic = 0; ic < icn; ic++, x += PS, w += KK)\n        {\n");
        b.Append("            for (int kh = 0; kh < KH; kh++)\n            {\n");
        b.Append("                float* xr = x + kh * (DH * RS);\n                float* wr = w + kh * (KW * L);\n");
        if (s.UnrollKw)
        {
            for (var kw = 0; kw < p.KW; kw++)
            {
                var xoff = direct ? kw * p.DilationW : (kw * p.DilationW % p.StrideW) * lp + kw * p.DilationW / p.StrideW;
                b.Append("                {\n");
                Body(b, s, rowsA, colsA, xoff.ToString(), (kw * lanes).ToString(), "                    ", cs: direct ? p.StrideW : 1);
                b.Append("                }\n");
            }
        }
        else
        {
            b.Append("                for (int kw = 0; kw < KW; kw++)\n                {\n");
            b.Append(direct ? "                    int xo = kw * DW, wof = kw * L;\n" : "                    int xo = (kw * DW % SW) * LP + kw * DW / SW, wof = kw * L;\n");
            Body(b, s, rowsA, colsA, "xo", "wof", "                    ", cs: direct ? p.StrideW : 1);
            b.Append("                }\n");
        }
        b.Append("            }\n        }\n");

        // Stores: output rows are channel planes (stride OHW).
        if (s.VecOc)
        {
            // Whole reduction in this call (first and last): the epilogue on the accumulators, before the transpose.
            if (epi)
            {
                b.Append("        if (first && last)\n        {\n");
                for (var r = 0; r < rowsA; r++)
                {
                    b.Append($"            var bv{r} = {vt}.Load(bz + {r * v});");
                    for (var c = 0; c < tw; c++) b.Append($" a{r}_{c} = Epi(a{r}_{c}, bv{r});");
                    b.Append('\n');
                }
                b.Append("        }\n");
            }
            b.Append($"        float* t = stackalloc float[{rowsA * v * tw}];\n");
            for (var r = 0; r < rowsA; r++)
            for (var c = 0; c < tw; c++)
                b.Append($"        {vt}.Store(a{r}_{c}, t + {(r * tw + c) * v});\n");
            var accumulate = epi
                ? $"else for (int j = 0; j < {tw}; j++) {{ float sum = od[j] + ts[j * {v}]; od[j] = last ? EpiS(sum, bz[l]) : sum; }}"
                : $"else for (int j = 0; j < {tw}; j++) od[j] += ts[j * {v}];";
            b.Append($$"""
        for (int l = 0; l < {{ocs}}; l++)
        {
            float* od = o + l * OHW;
            float* ts = t + (l / {{v}}) * {{tw * v}} + (l % {{v}});
            if (first) for (int j = 0; j < {{tw}}; j++) od[j] = ts[j * {{v}}];
            {{accumulate}}
        }
    }


""");
        }
        else
        {
            var partial = tw % v != 0;
            if (partial) b.Append($"        float* t = stackalloc float[{v}];\n");
            for (var r = 0; r < rowsA; r++)
            {
                // Row r is one output channel: its bias is one broadcast scalar.
                if (epi) b.Append($"        var bv{r} = {vt}.Create(bz[{r}]);\n");
                for (var c = 0; c < colsA; c++)
                {
                    var od = $"o + {r} * OHW + {c * v}";
                    if (c * v + v <= tw && epi)
                        b.Append($"        {{ var sum = first ? a{r}_{c} : a{r}_{c} + {vt}.Load({od}); {vt}.Store(last ? Epi(sum, bv{r}) : sum, {od}); }}\n");
                    else if (c * v + v <= tw)
                        b.Append($"        if (first) {vt}.Store(a{r}_{c}, {od}); else {vt}.Store(a{r}_{c} + {vt}.Load({od}), {od});\n");
                    else if (epi)
                        b.Append($"        {{ {vt}.Store(a{r}_{c}, t); float* od = {od}; for (int j = 0; j < {tw - c * v}; j++) {{ float sum = first ? t[j] : od[j] + t[j]; od[j] = last ? " +
                            $"EpiS(sum, bz[{r}]) : sum; }} }}\n");
                    else
                        b.Append($"        {{ {vt}.Store(a{r}_{c}, t); float* od = {od}; if (first) for (int j = 0; j < {tw - c * v}; j++) od[j] = t[j]; else for (int j = 0; j < {tw - c * v}; " +
                            $"j++) od[j] += t[j]; }}\n");
                }
            }
            b.Append("    }\n\n");
        }
    }

    /// <summary>Read the data in place (no scratch copy) when there is no padding and no load can run past a
    /// row: with vec=oc (scalar input loads; strided columns are read at a constant step), or with vec=ow at
    /// stride 1 when every column tile is whole vectors (pointwise convs on rows re-cut to whole vectors).</summary>
    private static bool IsDirect(Conv2dParams p, Conv2dSchedule s)
    {
        if (p.PadTop != 0 || p.PadLeft != 0 || p.PadBottom != 0 || p.PadRight != 0) return false;
        if (s.VecOc) return true;
        int v = s.Width.Lanes, tow = Math.Min(s.TileOw, p.OW);
        return p.StrideW == 1 && tow % v == 0 && p.OW % tow % v == 0;
    }

    /// <summary>The FMAs of one (ic, kh, kw) step.</summary>
    private static void Body(StringBuilder b, Conv2dSchedule s, int rowsA, int colsA, string xoff, string woff, string ind, int cs)
    {
        var vt = s.Width.Type;
        var lanes = s.Width.Lanes;
        if (s.VecOc)
        {
            // Weight vectors (V channels each) once, then one broadcast input scalar per column.
            for (var r = 0; r < rowsA; r++) b.Append($"{ind}{vt}<float> w{r} = {vt}.Load(wr + {woff} + {r * lanes});\n");
            b.Append($"{ind}float* xk = xr + {xoff};\n{ind}{vt}<float> v;\n");
            for (var c = 0; c < colsA; c++)
            {
                b.Append($"{ind}v = {vt}.Create(xk[{c * cs}]);");
                for (var r = 0; r < rowsA; r++) b.Append($" a{r}_{c} = F(w{r}, v, a{r}_{c});");
                b.Append('\n');
            }
        }
        else
        {
            // Input vectors (V columns each) once, then one broadcast weight scalar per channel.
            b.Append($"{ind}float* xk = xr + {xoff};\n{ind}float* wk = wr + {woff};\n");
            for (var c = 0; c < colsA; c++) b.Append($"{ind}{vt}<float> x{c} = {vt}.Load(xk + {c * lanes});\n");
            b.Append($"{ind}{vt}<float> v;\n");
            for (var r = 0; r < rowsA; r++)
            {
                b.Append($"{ind}v = {vt}.Create(wk[{r}]);");
                for (var c = 0; c < colsA; c++) b.Append($" a{r}_{c} = F(v, x{c}, a{r}_{c});");
                b.Append('\n');
            }
        }
    }
}
