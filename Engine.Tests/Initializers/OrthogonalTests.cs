namespace Engine.Tests.Initializers;

public class OrthogonalTests
{
    /// <summary>max |(W·Wᵀ or Wᵀ·W) − gain²·I| over the smaller Gram matrix of a (rows, cols) row-major W.</summary>
    private static double GramError(double[] w, int rows, int cols, double gain)
    {
        bool tall = rows >= cols;
        int n = tall ? cols : rows;
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                if (tall) // (WᵀW)_ij: columns i and j
                    for (int r = 0; r < rows; r++) dot += w[r * cols + i] * w[r * cols + j];
                else      // (WWᵀ)_ij: rows i and j
                    for (int c = 0; c < cols; c++) dot += w[i * cols + c] * w[j * cols + c];
                worst = Math.Max(worst, Math.Abs(dot - (i == j ? gain * gain : 0)));
            }
        }
        return worst;
    }

    [Theory]
    [InlineData(300, 120)]
    [InlineData(120, 300)]
    [InlineData(150, 150)]
    [InlineData(1, 50)]
    [InlineData(50, 1)]
    [InlineData(1, 1)]
    [InlineData(7, 6)]
    public void RowsOrColumnsAreOrthonormal(int rows, int cols)
    {
        var w = Draw.Weights(new Orthogonal(), rows, cols, seed: 11);
        Assert.InRange(GramError(w, rows, cols, 1.0), 0, 1e-10);
    }

    [Theory]
    [InlineData(80, 40)]
    [InlineData(40, 80)]
    public void GainScalesTheGram(int rows, int cols)
    {
        var w = Draw.Weights(new Orthogonal(gain: 2.0), rows, cols, seed: 3);
        Assert.InRange(GramError(w, rows, cols, 2.0), 0, 4e-10);
    }

    [Fact]
    public void SquareResultIsOrthogonalBothWays()
    {
        const int n = 64;
        var w = Draw.Weights(new Orthogonal(), n, n, seed: 2);
        var wt = new double[n * n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
                wt[c * n + r] = w[r * n + c];
        Assert.InRange(GramError(w, n, n, 1.0), 0, 1e-10);
        Assert.InRange(GramError(wt, n, n, 1.0), 0, 1e-10);
    }

    [Theory]
    [InlineData(30, 12)]
    [InlineData(12, 30)]
    [InlineData(20, 20)]
    public void IsTheQOfThePositiveDiagonalQrOfTheGaussianDraw(int rows, int cols)
    {
        // The Gaussian G is the first rows·cols normals of the generator, row-major (documented draw order).
        // With A = G (tall) or Gᵀ (wide) and Q = W (tall) or Wᵀ (wide), R = QᵀA must be upper triangular with a
        // positive diagonal: that is torch's sign correction, and it makes the factorization unique.
        const ulong seed = 21;
        var w = Draw.Weights(new Orthogonal(), rows, cols, seed: seed);
        var rng = new Rng(seed);
        var g = new double[rows * cols];
        for (int i = 0; i < g.Length; i++)
            g[i] = rng.NextNormal();

        bool tall = rows >= cols;
        int m = Math.Max(rows, cols), n = Math.Min(rows, cols);
        double A(int i, int j) => tall ? g[i * cols + j] : g[j * cols + i];
        double Q(int i, int j) => tall ? w[i * cols + j] : w[j * cols + i];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double rij = 0;
                for (int k = 0; k < m; k++)
                    rij += Q(k, i) * A(k, j);
                if (i > j)
                    Assert.True(Math.Abs(rij) < 1e-10, $"R[{i},{j}] = {rij} below the diagonal");
                if (i == j)
                    Assert.True(rij > 0, $"R[{i},{i}] = {rij} is not positive");
            }
        }
    }

    [Fact]
    public void EntriesAreCenteredAsForAHaarMatrix()
    {
        // For a Haar-orthogonal n×n matrix every entry has mean 0 and variance 1/n. Without the sign
        // correction a Householder QR gives W[0,0] = −|g₀₀|/‖g₀‖ < 0 always (mean ≈ −0.8/√n).
        // Over k = 400 matrices with n = 20 the mean of W[0,0] has SE √(1/(n·k)) ≈ 0.011; allow 5 SE.
        const int n = 20, k = 400;
        double sumCorner = 0, sumDiag = 0;
        for (int s = 0; s < k; s++)
        {
            var w = Draw.Weights(new Orthogonal(), n, n, seed: (ulong)(1000 + s));
            sumCorner += w[0];
            for (int i = 0; i < n; i++)
                sumDiag += w[i * n + i];
        }
        double se = Math.Sqrt(1.0 / (n * k));
        Assert.InRange(sumCorner / k, -5 * se, 5 * se);
        // Mean of the diagonal: n·k entries, each of variance 1/n, correlations O(1/n²): SE ≈ √(1/(n²·k)).
        double seDiag = Math.Sqrt(1.0 / ((double)n * n * k));
        Assert.InRange(sumDiag / (n * k), -5 * seDiag, 5 * seDiag);
    }

    [Fact]
    public void SameSeedSameMatrixDifferentSeedDifferent()
    {
        var a = Draw.Weights(new Orthogonal(), 30, 50, seed: 4);
        var b = Draw.Weights(new Orthogonal(), 30, 50, seed: 4);
        var c = Draw.Weights(new Orthogonal(), 30, 50, seed: 5);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
