using Tessel.Kernels;
using Tessel.Templates.Scaffold;
using System.Globalization;
using System.Text;
using Tessel.Templates.Conv2d;

namespace Tessel.Templates.Winograd;

/// <summary>Writes the C# kernel of one Winograd conv config, in four steps per call:
/// <list type="number">
/// <item>scatter the input into a zero-padded scratch whose rows are split into m column phases (padded
/// column c at phase c % m, index c / m), so the patches of consecutive tiles are consecutive floats;</item>
/// <item>input transform <c>B^T d B</c>, vectorised over V tiles of a tile row, into
/// <c>Vt[alpha^2][C][P]</c> (P tiles, each (xi, ic) row padded by V so a full-vector store may spill);</item>
/// <item>alpha^2 independent products <c>M[xi] (P x OC) = Vt[xi]^T (P x C) x U[xi] (C x OC)</c> with a register tile
/// of tile_p tiles x tile_oc channels (channel vectors, tile values broadcast), weights transformed and
/// packed per channel tile at Prepare;</item>
/// <item>output transform <c>A^T M A</c>, vectorised over channels, scattered into the NCHW output.</item>
/// </list></summary>
internal static class WinogradEmitter
{
    public static string Emit(Conv2dParams p, WinogradSchedule s, string className, FusedEpilogue? epi)
    {
        var mat = WinogradMatrices.For(s.M);
        var vw = s.Width;
        int m = s.M, a = mat.Alpha, v = vw.Lanes;
        int th = (p.OH + m - 1) / m, tw = (p.OW + m - 1) / m, tiles = th * tw;
        var toc = Math.Min(s.TileOc, p.OC);
        var tocl = (toc + v - 1) / v * v;
        var noct = (p.OC + toc - 1) / toc;
        var tp = Math.Min(s.TileP, tiles);
        var vt = vw.Type;

        var b = new StringBuilder(32 * 1024);
        b.Append($$"""
    // The four steps' work items: scatter (by input channel), input transform, product, output transform.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void WorkItem(int ic) => Scatter(cx, ic);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void OutputItem(int t) => OutputTransform(t, co);

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

""");
        EmitInputTransform(b, mat, tw, v);
        EmitProduct(b, toc, tocl, tp, tiles, vw);
        EmitOutputTransform(b, mat, vt, epi is not null);
        return new KernelClass
        {
            Name = className,
            Summary = $"winograd F({m}x{m},3x3) {p} | tile_oc={toc} tile_p={tp} vec_bits={vw.Bits}",
            Width = vw,
            FmaName = "F",
            Constants = $$"""
    const int N = {{p.N}}, C = {{p.C}}, H = {{p.H}}, W = {{p.W}}, OC = {{p.OC}}, PT = {{p.PadTop}}, PL = {{p.PadLeft}};
    const int KH = 3, KW = 3, SH = 1, SW = 1, DH = 1, DW = 1;
    const int OH = {{p.OH}}, OW = {{p.OW}}, OHW = OH * OW, M = {{m}}, A = {{a}}, AA = A * A, V = {{v}};
    const int TH = {{th}}, TW = {{tw}}, P = TH * TW, PP = P + V;
    const int TOC = {{toc}}, TOCL = {{tocl}}, NOCT = {{noct}}, OCP = NOCT * TOCL;
    const int LP = TW + 2 + V, RS = M * LP, PR = TH * M + 2, PS = PR * RS;
""",
            Fields = """
    float[] xArr, vArr, mArr;
    float* u, xp, vt, mt;
    Action<int> inputTransform, product, outputTransform;
""",
            WeightLength = "OC * C * 9",
            Packing = $$"""
        inputTransform = InputTransform;
        product = Product;
        outputTransform = OutputItem;
        // U[xi][oc tile][ic][TOCL]: G g G^T of every filter, channel tiles zero-padded to whole vectors.
        u = PackedWeight(AA * OCP * C, out var fill);
        var matrices = {{RuntimeNames.WinogradMatrices}}.For(M);
        if (fill)
        for (int oc = 0; oc < OC; oc++)
        for (int ic = 0; ic < C; ic++)
        {
            double[] t = matrices.TransformFilter(weight.Slice((oc * C + ic) * 9, 9));
            int tile = oc / TOC, lane = oc % TOC;
            for (int xi = 0; xi < AA; xi++) u[((long)(xi * NOCT + tile) * C + ic) * TOCL + lane] = (float)t[xi];
        }
        xp = {{RuntimeNames.PinnedArrays}}.Allocate(C * PS + V, out xArr);
        vt = {{RuntimeNames.PinnedArrays}}.Allocate(AA * C * PP, out vArr);
        mt = {{RuntimeNames.PinnedArrays}}.Allocate(AA * P * OCP, out mArr);
""",
            Epilogue = epi,
            BiasSlots = "OCP",
            // Bias in the channel-tile layout of M (and of the output transform's vectors).
            BiasSlot = "c / TOC * TOCL + c % TOC",
            Run = """
        for (int n = 0; n < N; n++)
        {
            cx = data + (long)n * C * H * W; co = output + (long)n * OC * OHW;
            Parallel(C, workItem);
            Parallel(C, inputTransform);
            Parallel(AA * NOCT, product);
            Parallel(P, outputTransform);
        }
""",
            Fallback = KernelClass.ConvFallback("1"),
            SplitByRange = true,
            Members = b.ToString(),
        }.Write();

    }

    /// <summary>B^T d B for V tiles of one tile row at a time: alpha^2 vector loads from the phase-split rows,
    /// then the two passes as unrolled adds and constant multiplies.</summary>
    private static readonly int[] LaneChoices = [4, 8, 16];

    private static void EmitInputTransform(StringBuilder b, WinogradMatrices mat, int tw, int v)
    {
        int a = mat.Alpha, m = mat.M;
        // As narrow a vector as a tile row needs (tile rows of 4 tiles: 4 lanes, not 16 with 12 idle).
        var lanes = LaneChoices.First(l => l >= Math.Min(tw, v) || l == v);
        var vt = $"Vector{lanes * 32}";
        b.Append($$"""
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void InputTransform(int ic)
    {
        float* plane = xp + (long)ic * PS;
        for (int ty = 0; ty < TH; ty++)
        for (int tx = 0; tx < TW; tx += {{lanes}})
        {
            float* s = plane + ty * M * RS + tx;
            float* dst = vt + (long)ic * PP + ty * TW + tx;

""");
        for (var i = 0; i < a; i++)
        for (var j = 0; j < a; j++)
            b.Append($"            var d{i}_{j} = {vt}.Load(s + {i} * RS + {j % m} * LP + {j / m});\n");
        Sandwich(b, mat.BT, "d", vt, (i, j) => $"dst + {i * a + j} * C * PP");
        b.Append("        }\n    }\n\n");
    }

    /// <summary>One work item: all tiles of one channel tile of one of the alpha^2 products.</summary>
    private static void EmitProduct(StringBuilder b, int toc, int tocl, int tp, int tiles, VectorWidth vw)
    {
        int full = tiles / tp, tail = tiles % tp, rows = tocl / vw.Lanes;
        b.Append($$"""
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Product(int i)
    {
        int xi = i / NOCT, t = i % NOCT;
        float* w = u + (long)(xi * NOCT + t) * C * TOCL;
        float* x = vt + (long)xi * C * PP;
        float* o = mt + (long)xi * P * OCP + t * TOCL;
        for (int p = 0; p < {{full * tp}}; p += {{tp}}) G{{tp}}(x + p, w, o + (long)p * OCP);

""");
        if (tail > 0) b.Append($"        G{tail}(x + {full * tp}, w, o + {(long)full * tp} * OCP);\n");
        b.Append("    }\n\n");
        MicroKernel(b, tp, rows, vw);
        if (tail > 0) MicroKernel(b, tail, rows, vw);
    }

    private static void MicroKernel(StringBuilder b, int cols, int rows, VectorWidth vw)
    {
        var vt = vw.Type;
        b.Append($"    [MethodImpl(MethodImplOptions.AggressiveOptimization)]\n    static void G{cols}(float* x, float* w, float* o)\n    {{\n");
        for (var r = 0; r < rows; r++)
            b.Append($"        {vt}<float> ").Append(string.Join(", ", Enumerable.Range(0, cols).Select(c => $"a{r}_{c} = default"))).Append(";\n");
        b.Append("        for (int ic = 0; ic < C; ic++, x += PP, w += TOCL)\n        {\n");
        for (var r = 0; r < rows; r++) b.Append($"            {vt}<float> w{r} = {vt}.Load(w + {r * vw.Lanes});\n");
        b.Append($"            {vt}<float> v;\n");
        for (var c = 0; c < cols; c++)
        {
            b.Append($"            v = {vt}.Create(x[{c}]);");
            for (var r = 0; r < rows; r++) b.Append($" a{r}_{c} = F(w{r}, v, a{r}_{c});");
            b.Append('\n');
        }
        b.Append("        }\n");
        for (var c = 0; c < cols; c++)
        for (var r = 0; r < rows; r++)
            b.Append($"        {vt}.Store(a{r}_{c}, o + {c} * OCP + {r * vw.Lanes});\n");
        b.Append("    }\n\n");
    }

    /// <summary>A^T M A for one tile, V channels at a time, scattered into the output planes; with
    /// <paramref name="epi"/>, each result vector passes through the fused epilogue before it is scattered.</summary>
    private static void EmitOutputTransform(StringBuilder b, WinogradMatrices mat, string vt, bool epi)
    {
        int a = mat.Alpha, m = mat.M;
        b.Append($$"""
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void OutputTransform(int p, float* o)
    {
        int ty = p / TW, tx = p % TW, y0 = ty * M, x0 = tx * M;
        int rows = Math.Min(M, OH - y0), cols = Math.Min(M, OW - x0);
        float* r = stackalloc float[M * M * V];
        for (int q = 0; q < OCP; q += V)
        {
            float* s = mt + (long)p * OCP + q;

""");
        if (epi) b.Append($"            var bq = {vt}.Load(bp + q);\n");
        for (var i = 0; i < a; i++)
        for (var j = 0; j < a; j++)
            b.Append($"            var m{i}_{j} = {vt}.Load(s + {i * a + j} * P * OCP);\n");
        Sandwich(b, mat.AT, "m", vt, (i, j) => $"r + {i * m + j} * V", epi ? "bq" : null);
        b.Append("""
            int tile = q / TOCL, lane0 = q % TOCL;
            for (int l = 0; l < V; l++)
            {
                int lane = lane0 + l, oc = tile * TOC + lane;
                if (lane >= TOC || oc >= OC) break;
                float* plane = o + (long)oc * OHW + y0 * OW + x0;
                if (rows == M && cols == M)
                {

""");
        // Whole tiles (all but the last row and column of tiles) store without bounds: m^2 constant offsets.
        for (var i = 0; i < m; i++)
        {
            b.Append("                    ");
            for (var j = 0; j < m; j++) b.Append($"plane[{i} * OW + {j}] = r[{(i * m + j)} * V + l]; ");
            b.Append('\n');
        }
        b.Append("""
                    continue;
                }
                for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) plane[i * OW + j] = r[(i * M + j) * V + l];
            }
        }
    }


""");
    }

    /// <summary>Emits <c>X^T v X</c> for the square grid of vectors <c>{v}{k}_{j}</c> and an n x alpha matrix X
    /// (B^T or A^T): first <c>t = X v</c> (n x alpha temporaries), then each <c>(t X^T)[i][j] = sum_k t[i][k] X[j][k]</c>
    /// stored where <paramref name="destination"/> says.</summary>
    private static void Sandwich(StringBuilder b, double[,] x, string v, string vt, Func<int, int, string> destination, string? epilogueBias = null)
    {
        int n = x.GetLength(0), a = x.GetLength(1);
        for (var i = 0; i < n; i++)
        for (var j = 0; j < a; j++)
            b.Append($"            var t{i}_{j} = {Combination(Enumerable.Range(0, a).Select(k => (x[i, k], $"{v}{k}_{j}")), vt)};\n");
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
        {
            var value = Combination(Enumerable.Range(0, a).Select(k => (x[j, k], $"t{i}_{k}")), vt);
            b.Append($"            {vt}.Store({(epilogueBias is null ? value : $"Epi({value}, {epilogueBias})")}, {destination(i, j)});\n");
        }
    }

    /// <summary>The C# expression of sum_k c_k * x_k over vector operands, zero terms dropped,
    /// unit coefficients as plain adds and subtracts.</summary>
    private static string Combination(IEnumerable<(double Coefficient, string Operand)> terms, string vt)
    {
        var s = new StringBuilder();
        foreach (var (c, x) in terms)
        {
            if (c == 0) continue;
            var magnitude = Math.Abs(c);
            var term = magnitude == 1 ? x : $"{x} * {magnitude.ToString("R", CultureInfo.InvariantCulture)}f";
            if (s.Length == 0) s.Append(c < 0 ? $"-({term})" : term);
            else s.Append(c < 0 ? " - " : " + ").Append(term);
        }
        return s.Length == 0 ? $"{vt}<float>.Zero" : s.ToString();
    }
}
