namespace Engine.Tests.Initializers;

/// <summary>
/// The QR helper behind <see cref="Orthogonal"/> on matrices written out by hand: Q against classical Gram–Schmidt
/// (which gives the positive-diagonal factor directly), whatever the output buffer held before, and a rank-deficient
/// input, which the Gaussian draws never produce.
/// </summary>
public class HouseholderTests
{
    // Column-major (m × n) Q of A = QR with R's diagonal positive, by classical Gram–Schmidt in double.
    private static double[] GramSchmidt(double[] a, int m, int n)
    {
        var q = new double[m * n];
        for (int j = 0; j < n; j++)
        {
            var v = a.AsSpan(j * m, m).ToArray();
            for (int k = 0; k < j; k++)
            {
                double dot = 0;
                for (int i = 0; i < m; i++)
                    dot += q[k * m + i] * a[j * m + i];
                for (int i = 0; i < m; i++)
                    v[i] -= dot * q[k * m + i];
            }
            double norm = Math.Sqrt(v.Sum(x => x * x));
            for (int i = 0; i < m; i++)
                q[j * m + i] = v[i] / norm;
        }
        return q;
    }

    [Fact]
    public void QIsTheGramSchmidtFactorWhateverTheBufferHeld()
    {
        const int m = 4, n = 3;
        // columns of mixed signs, so r_kk takes both signs and the sign correction flips some of Q's columns
        double[] a = [2, -1, 0.5, 3, -3, 1, 2, -2, 0, 4, -1, 1];
        var expected = GramSchmidt(a, m, n);
        var q = Enumerable.Repeat(double.NaN, m * n).ToArray();
        Orthogonal.HouseholderQ((double[])a.Clone(), q, m, n);
        for (int i = 0; i < q.Length; i++)
            Assert.Equal(expected[i], q[i], 1e-12);
    }

    [Fact]
    public void AZeroColumnKeepsItsUnitVectorAndTheOthersStayOrthonormal()
    {
        // A = [0 1; 0 2; 0 2]: no reflection for column 0 (τ = 0), so Q's column 0 is e₀ with its sign kept;
        // column 1 is the unit vector of A's column 1 minus its e₀ part, (0, 2, 2)/√8, with r₁₁ = √8 > 0.
        double[] a = [0, 0, 0, 1, 2, 2];
        var q = new double[6];
        Orthogonal.HouseholderQ(a, q, 3, 2);
        double h = 1 / Math.Sqrt(2);
        double[] expected = [1, 0, 0, 0, h, h];
        for (int i = 0; i < q.Length; i++)
            Assert.Equal(expected[i], q[i], 1e-15);
    }
}
