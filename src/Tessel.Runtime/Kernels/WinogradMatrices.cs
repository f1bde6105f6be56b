namespace Tessel.Kernels;

/// <summary>The transforms of Winograd's minimal filtering F(m x m, 3 x 3) (Lavin and Gray, "Fast Algorithms
/// for Convolutional Neural Networks", 2016): with alpha = m + 2, a tile's output is
/// <c>A^T [(G g G^T) .* (B^T d B)] A</c> for a 3x3 filter g and an alpha x alpha input patch d.
/// F(2x2) uses 16 products per 4 outputs, F(4x4) 36 per 16, against 9 per output directly.</summary>
public sealed record WinogradMatrices(int M, double[,] G, double[,] BT, double[,] AT)
{
    public int Alpha => M + 2;

    public static WinogradMatrices For(int m) => m switch
    {
        2 => F2,
        4 => F4,
        _ => throw new ArgumentOutOfRangeException(nameof(m), $"Winograd output tile must be 2 or 4, got {m}"),
    };

    private static readonly WinogradMatrices F2 = new(2,
        G: new double[,] { { 1, 0, 0 }, { 0.5, 0.5, 0.5 }, { 0.5, -0.5, 0.5 }, { 0, 0, 1 } },
        BT: new double[,] { { 1, 0, -1, 0 }, { 0, 1, 1, 0 }, { 0, -1, 1, 0 }, { 0, 1, 0, -1 } },
        AT: new double[,] { { 1, 1, 1, 0 }, { 0, 1, -1, -1 } });

    // Interpolation points 0, +-1, +-2 and infinity.
    private static readonly WinogradMatrices F4 = new(4,
        G: new double[,]
        {
            { 1 / 4.0, 0, 0 }, { -1 / 6.0, -1 / 6.0, -1 / 6.0 }, { -1 / 6.0, 1 / 6.0, -1 / 6.0 },
            { 1 / 24.0, 1 / 12.0, 1 / 6.0 }, { 1 / 24.0, -1 / 12.0, 1 / 6.0 }, { 0, 0, 1 },
        },
        BT: new double[,]
        {
            { 4, 0, -5, 0, 1, 0 }, { 0, -4, -4, 1, 1, 0 }, { 0, 4, -4, -1, 1, 0 },
            { 0, -2, -1, 2, 1, 0 }, { 0, 2, -1, -2, 1, 0 }, { 0, 4, 0, -5, 0, 1 },
        },
        AT: new double[,] { { 1, 1, 1, 1, 1, 0 }, { 0, 1, -1, 2, -2, 0 }, { 0, 1, 1, 4, 4, 0 }, { 0, 1, -1, 8, -8, 1 } });

    /// <summary><c>G g G^T</c> for one 3x3 filter (row-major 9 values), alpha x alpha row-major.</summary>
    public double[] TransformFilter(ReadOnlySpan<float> g)
    {
        int a = Alpha;
        var gg = new double[a * 3];
        for (var i = 0; i < a; i++)
        for (var j = 0; j < 3; j++)
            for (var k = 0; k < 3; k++) gg[i * 3 + j] += G[i, k] * g[k * 3 + j];
        var u = new double[a * a];
        for (var i = 0; i < a; i++)
        for (var j = 0; j < a; j++)
            for (var k = 0; k < 3; k++) u[i * a + j] += gg[i * 3 + k] * G[j, k];
        return u;
    }
}
