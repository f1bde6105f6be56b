using System.Text;
using Tessel.Templates.Scaffold;

namespace Tessel.Templates.Conv2dTranspose;

/// <summary>Writes the C# kernel of one transposed conv config, by stride phases (<see cref="StridePhases"/>): each
/// output row belongs to one row phase and, along it, the columns of each column phase are a direct conv over the
/// input at stride 1, with that phase's taps known when the kernel is written (a 4x4 stride-2 kernel: 2x2 taps per
/// phase, none of them on an inserted zero). The register tile is R vectors of V output channels x tile_ow phase
/// columns: per input channel and tap it loads R weight vectors and broadcasts one input scalar per column, as the
/// blocked conv does. Blocked (NCHW[b]c) output columns of a phase are whole vectors <c>SW * BO</c> apart; NCHW ones
/// go through a stack buffer to their channel planes.
/// With tile_rows 2 a tile also holds the phase's next row (SH output rows down, one input row down): each weight vector
/// loaded then serves twice the columns, which is what a layer whose weight outweighs its input runs short of.
/// <para>The input is copied once per call into a zero-bordered scratch where some tap reads outside it.
/// Weights are packed per oc tile and phase pair as <c>[ic][the phase's taps][R*V]</c>, zero past the last channel.</para></summary>
internal static class Conv2dTransposeEmitter
{
    public static string Emit(Conv2dTransposeParams p, Conv2dTransposeSchedule s, string className, FusedEpilogue? epi)
    {
        if (p.Groups != 1) throw new ArgumentException($"the conv2d_transpose template takes one group, got {p.Groups} ({p})");
        var vw = s.Width;
        int v = vw.Lanes, bo = s.Block, bi = s.InputBlock(p);
        int toc = s.OcVectors * v, ocv = (p.OC + v - 1) / v * v;
        int noct = (ocv + toc - 1) / toc, lastVectors = (ocv - (noct - 1) * toc) / v;
        var rows = new StridePhases(p.H, p.KH, p.StrideH, p.PadTop, p.DilationH, p.OH);
        var cols = new StridePhases(p.W, p.KW, p.StrideW, p.PadLeft, p.DilationW, p.OW);
        int tow = Math.Min(s.TileOw, cols.Counts.Max()), toh = Math.Min(s.TileOh, p.OH), tic = Math.Min(s.TileIc, p.C);
        int noht = (p.OH + toh - 1) / toh, nict = (p.C + tic - 1) / tic;
        var direct = rows.PadBefore + rows.PadAfter + cols.PadBefore + cols.PadAfter == 0;
        int ph = p.H + rows.PadBefore + rows.PadAfter, pw = p.W + cols.PadBefore + cols.PadAfter;
        var par = s.Parallel;
        var parCount = par == "oc" ? "NOCT" : "NOHT";
        var (epiParams, epiArgs) = epi is null ? ("", "") : (", bool last, float* bz", ", last, bz");

        var b = new StringBuilder(32 * 1024);
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
    void PadItem(int nc)
    {
        for (int y = 0; y < H; y++)
            Buffer.MemoryCopy(cd + ((long)nc * H + y) * W * BI, xp + (long)nc * XPS + ((long)(y + PTI) * PWI + PLI) * BI, W * BI * sizeof(float), W * BI * sizeof(float));
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
{{(epi is null ? "" : "            bool last = icT == NICT - 1;\n            float* bz = bp + oc0;\n")}}            float* w = wp + ocT * WTILE;
            float* xb = x + (long)n * CB * XPS;
            float* ob = o + (long)n * OCB * OPS;
            int ohS = ohT * TOH, ohE = Math.Min(OH, ohS + TOH);

""");
        // Rows r and r + SH (the next of the same phase) share a register tile where tile_rows is 2 and both are in the block.
        string Rows(int vectors)
        {
            string Call(int tileRows) => $"Row{vectors}x{tileRows}(xb + (long)(r / SH) * XRS, w, ob + (long)r * ORS, r % SH, icS, icn, oc0, first{epiArgs});";
            return s.TileRows == 1
                ? $"for (int r = ohS; r < ohE; r++) {Call(1)}"
                : $"for (int r0 = ohS; r0 < ohE; r0 += 2 * SH) for (int r = r0; r < Math.Min(r0 + SH, ohE); r++) {{ if (r + SH < ohE) {Call(2)} else {Call(1)} }}";
        }
        if (lastVectors != s.OcVectors)
            b.Append($"            if (ocT == NOCT - 1) {{ {Rows(lastVectors)} }}\n            else\n");
        b.Append($"            {{ {Rows(s.OcVectors)} }}\n        }}\n    }}\n\n");

        var starts = PhaseStarts(p, rows, cols);
        foreach (var vectors in lastVectors != s.OcVectors ? new[] { s.OcVectors, lastVectors } : [s.OcVectors])
        foreach (var tileRows in s.TileRows == 1 ? new[] { 1 } : [2, 1])
        {
            // One output row (or two of a phase): its row phase picks the taps; each column phase then runs its tiles.
            var name = $"{vectors}x{tileRows}";
            b.Append($"    [MethodImpl(MethodImplOptions.AggressiveOptimization)]\n    static void Row{name}(float* x, float* w, float* o, int phase, int icS, int icn, int oc0, bool " +
                $"first{epiParams})\n    {{\n        switch (phase)\n        {{\n");
            for (var py = 0; py < p.StrideH; py++)
            {
                if (rows.Counts[py] == 0) continue;
                b.Append($"            case {py}:\n");
                for (var px = 0; px < p.StrideW; px++)
                {
                    var count = cols.Counts[px];
                    if (count == 0) continue;
                    int full = count / tow, tail = count % tow;
                    if (full > 0)
                        b.Append($"                for (int c = 0; c < {full * tow}; c += {tow}) ")
                            .Append($"K{name}_{py}_{px}_{tow}(x + c * BI, w, o + ({px} + c * SW) * BO, icS, icn, oc0, first{epiArgs});\n");
                    if (tail > 0)
                        b.Append($"                K{name}_{py}_{px}_{tail}(x + {full * tow} * BI, w, o + {px + full * tow * p.StrideW} * BO, icS, icn, oc0, first{epiArgs});\n");
                }
                b.Append("                break;\n");
            }
            b.Append("        }\n    }\n\n");
            for (var py = 0; py < p.StrideH; py++)
            for (var px = 0; px < p.StrideW; px++)
            {
                if (rows.Counts[py] == 0 || cols.Counts[px] == 0) continue;
                var widths = new[] { cols.Counts[px] >= tow ? tow : 0, cols.Counts[px] % tow }.Where(t => t > 0).Distinct();
                var phase = new Phase(rows.Taps[py], cols.Taps[px], starts[py * p.StrideW + px]);
                foreach (var tw in widths)
                    MicroKernel(b, p, s, vectors, tw, tileRows, phase, $"K{name}_{py}_{px}_{tw}", rows.PadBefore, cols.PadBefore, epi is not null);
            }
        }

        return new KernelClass
        {
            Name = className,
            Summary = $"{p} | {(s.Blocked ? $"nchw{bi}c -> nchw{bo}c" : "nchw")} tile_oc={s.OcVectors}x{v} tile_ow={tow} tile_rows={s.TileRows} tile_oh={toh} tile_ic={tic} " +
                $"order={string.Join(",", s.Order)} parallel={par} vec_bits={vw.Bits}",
            Width = vw,
            FmaName = "F",
            Constants = $$"""
    const int N = {{p.N}}, C = {{p.C}}, H = {{p.H}}, W = {{p.W}}, OC = {{p.OC}}, KH = {{p.KH}}, KW = {{p.KW}};
    const int SH = {{p.StrideH}}, SW = {{p.StrideW}}, DH = {{p.DilationH}}, DW = {{p.DilationW}}, PT = {{p.PadTop}}, PL = {{p.PadLeft}};
    const int PTI = {{rows.PadBefore}}, PLI = {{cols.PadBefore}}, PWI = {{pw}};
    const int OH = {{p.OH}}, OW = {{p.OW}}, V = {{v}}, BI = {{bi}}, BO = {{bo}}, CB = {{(p.C + bi - 1) / bi}}, OCB = {{(p.OC + bo - 1) / bo}};
    const int XRS = {{(direct ? p.W : pw) * bi}}, XPS = {{(direct ? p.H : ph)}} * XRS, ORS = OW * BO, OPS = OH * ORS;
    const int TOC = {{toc}}, L = TOC, KK = KH * KW * L, TOH = {{toh}}, TIC = {{tic}}, NOCT = {{noct}}, NOHT = {{noht}}, NICT = {{nict}};
    const long WTILE = (long)C * KK, XLEN = {{(direct ? 0L : (long)p.N * ((p.C + bi - 1) / bi) * ph * pw * bi)}};
    // The weight is packed phase pair by phase pair (py, px), each [ic][its taps][L]: a phase's pass reads one run.
    static readonly int[] PSTART = [{{string.Join(", ", starts)}}], PTAPS = [{{string.Join(", ", PhaseTaps(p, rows, cols))}}];
""",
            Layout = s.Blocked ? "N, C, H * W, BI, OC, OH * OW, BO" : null,
            Fields = """
    float[] xArr;
    float* wp, xp, cd;
    Action<int> padItem;
""",
            WeightLength = "OC * C * KH * KW",
            Packing = """
        padItem = PadItem;
        wp = PackedWeight((int)(NOCT * WTILE), out var fill);
        if (fill)
        for (int t = 0; t < NOCT; t++)
        for (int g = 0; g < PSTART.Length - 1; g++)
        for (int ic = 0; ic < C; ic++)
        for (int j = PSTART[g]; j < PSTART[g + 1]; j++)
        for (int l = 0; l < L; l++)
        {
            int oc = t * TOC + l, nt = PSTART[g + 1] - PSTART[g];
            wp[t * WTILE + (long)PSTART[g] * C * L + ((long)ic * nt + j - PSTART[g]) * L + l] = oc < OC ? weight[(oc * C + ic) * KH * KW + PTAPS[j]] : 0f;
        }
        xp = {{RuntimeNames.PinnedArrays}}.Allocate((int)XLEN, out xArr);
""".Replace("{{RuntimeNames.PinnedArrays}}", RuntimeNames.PinnedArrays),
            Epilogue = epi,
            BiasSlots = "NOCT * TOC + 64",
            Run = $$"""
        cx = {{(direct ? "data" : "Pad(data)")}}; co = output;
        Parallel(N * {{parCount}}, workItem);
""",
            Fallback = KernelClass.ConvTransposeFallback,
            Members = b.ToString(),
        }.Write();
    }

    /// <summary>A phase pair's taps (row taps x column taps, in the packed weight's order) and where its weight starts.</summary>
    private sealed record Phase(IReadOnlyList<(int Kernel, int Offset)> RowTaps, IReadOnlyList<(int Kernel, int Offset)> ColTaps, int Start)
    {
        public int TapCount => RowTaps.Count * ColTaps.Count;
    }

    // Per phase pair (py * SW + px), the first of its taps in the packed order, and the total at the end. Every tap
    // falls in exactly one phase pair, so the packed weight is as long as the plain one.
    private static int[] PhaseStarts(Conv2dTransposeParams p, StridePhases rows, StridePhases cols)
    {
        var starts = new int[p.StrideH * p.StrideW + 1];
        for (var g = 0; g < p.StrideH * p.StrideW; g++) starts[g + 1] = starts[g] + rows.Taps[g / p.StrideW].Count * cols.Taps[g % p.StrideW].Count;
        return starts;
    }

    // The kernel tap (ky * KW + kx) of each packed position: phase pairs in order, row taps outer, column taps inner.
    private static IEnumerable<int> PhaseTaps(Conv2dTransposeParams p, StridePhases rows, StridePhases cols) =>
        from g in Enumerable.Range(0, p.StrideH * p.StrideW)
        from ky in rows.Taps[g / p.StrideW]
        from kx in cols.Taps[g % p.StrideW]
        select ky.Kernel * p.KW + kx.Kernel;

    /// <summary>One register tile of one phase pair: <paramref name="vectors"/> x V output channels from <c>oc0</c>,
    /// <paramref name="tw"/> phase columns of <paramref name="tileRows"/> phase rows, over input channels icS .. icS + icn - 1
    /// and the phase's taps.</summary>
    private static void MicroKernel(StringBuilder b, Conv2dTransposeParams p, Conv2dTransposeSchedule s, int vectors, int tw, int tileRows, Phase phase,
        string name, int padTop, int padLeft, bool epi)
    {
        var vt = s.Width.Type;
        var epiParams = epi ? ", bool last, float* bz" : "";
        var tiles = (from r in Enumerable.Range(0, vectors) from y in Enumerable.Range(0, tileRows) select (R: r, Y: y)).ToList();
        b.Append($"    [MethodImpl(MethodImplOptions.AggressiveOptimization)]\n    static void {name}(float* x, float* w, float* o, int icS, int icn, int oc0, bool first{epiParams})\n    {{\n");
        foreach (var (r, y) in tiles)
            b.Append($"        {vt}<float> ").Append(string.Join(", ", Enumerable.Range(0, tw).Select(c => $"a{r}_{y}_{c} = default"))).Append(";\n");
        if (phase.TapCount > 0)
        {
            b.Append($"        w += {(long)phase.Start * p.C}L * L + (long)icS * {phase.TapCount} * L;\n");
            b.Append($"        for (int ic = icS; ic < icS + icn; ic++, w += {phase.TapCount} * L)\n        {{\n            float* xi = x + (ic / BI) * (long)XPS + ic % BI;\n" +
                $"            {vt}<float> v;\n");
            var tap = 0;
            foreach (var (_, dy) in phase.RowTaps)
            foreach (var (_, dx) in phase.ColTaps)
            {
                b.Append($"            {{\n                float* xk = xi + {(dy + padTop)} * XRS + {(dx + padLeft)} * BI;\n");
                for (var r = 0; r < vectors; r++) b.Append($"                {vt}<float> w{r} = {vt}.Load(w + {tap} * L + {r} * V);\n");
                for (var y = 0; y < tileRows; y++)
                for (var c = 0; c < tw; c++)
                {
                    b.Append($"                v = {vt}.Create(xk[{y} * XRS + {c} * BI]);");
                    for (var r = 0; r < vectors; r++) b.Append($" a{r}_{y}_{c} = F(w{r}, v, a{r}_{y}_{c});");
                    b.Append('\n');
                }
                b.Append("            }\n");
                tap++;
            }
            b.Append("        }\n");
        }
        if (s.Blocked) StoreBlocked(b, s, vectors, tw, tileRows, epi);
        else StorePlanes(b, s, vectors, tw, tileRows, epi);
        b.Append("    }\n\n");
    }

    // Each vector of channels lies inside one output block (BO is a multiple of V): its column c is at o{r} + c * SW * BO.
    // A tile's second row (y = 1) is the phase's next, SH output rows down.
    private static void StoreBlocked(StringBuilder b, Conv2dTransposeSchedule s, int vectors, int tw, int tileRows, bool epi)
    {
        var vt = s.Width.Type;
        for (var r = 0; r < vectors; r++)
        {
            b.Append($"        float* o{r} = o + ((oc0 + {r} * V) / BO) * (long)OPS + (oc0 + {r} * V) % BO;");
            if (epi) b.Append($" var bv{r} = {vt}.Load(bz + {r} * V);");
            b.Append('\n');
        }
        for (var r = 0; r < vectors; r++)
        for (var y = 0; y < tileRows; y++)
        for (var c = 0; c < tw; c++)
        {
            var at = $"o{r} + {y} * SH * ORS + {c} * SW * BO";
            var a = $"a{r}_{y}_{c}";
            b.Append(epi
                ? $"        {{ var sum = first ? {a} : {a} + {vt}.Load({at}); {vt}.Store(last ? Epi(sum, bv{r}) : sum, {at}); }}\n"
                : $"        {vt}.Store(first ? {a} : {a} + {vt}.Load({at}), {at});\n");
        }
    }

    // NCHW: lane l of a vector belongs to channel plane oc0 + r * V + l; only the real channels are read and written.
    private static void StorePlanes(StringBuilder b, Conv2dTransposeSchedule s, int vectors, int tw, int tileRows, bool epi)
    {
        var vt = s.Width.Type;
        b.Append("        float* t = stackalloc float[V];\n");
        for (var r = 0; r < vectors; r++)
        {
            b.Append($"        float* o{r} = o + (long)(oc0 + {r} * V) * OPS; int n{r} = Math.Min(V, OC - oc0 - {r} * V);");
            if (epi) b.Append($" var bv{r} = {vt}.Load(bz + {r} * V);");
            b.Append('\n');
        }
        for (var r = 0; r < vectors; r++)
        for (var y = 0; y < tileRows; y++)
        for (var c = 0; c < tw; c++)
        {
            b.Append($"        {{ var sum = a{r}_{y}_{c}; float* d = o{r} + {y} * SH * ORS + {c} * SW; if (!first) {{ for (int l = 0; l < n{r}; l++) t[l] = d[l * OPS]; sum += {vt}.Load(t); }}");
            if (epi) b.Append($" if (last) sum = Epi(sum, bv{r});");
            b.Append($" {vt}.Store(sum, t); for (int l = 0; l < n{r}; l++) d[l * OPS] = t[l]; }}\n");
        }
    }
}
