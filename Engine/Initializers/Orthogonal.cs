namespace Engine.Initializers;

/// <summary>
/// (Semi-)orthogonal: W = gain · Q, with Q the orthonormal factor of a Gaussian matrix. For rows ≥ cols the
/// columns of W are orthonormal (WᵀW = gain²·I); for rows &lt; cols its rows are (WWᵀ = gain²·I).
/// Saxe, McClelland &amp; Ganguli, "Exact solutions to the nonlinear dynamics of learning in deep linear
/// neural networks", ICLR 2014 (torch.nn.init.orthogonal_).
/// </summary>
/// <remarks>
/// As torch does: draw G (rows × cols, row-major, one standard normal per element in order); take the tall
/// orientation A = G (rows ≥ cols) or A = Gᵀ; factor A = QR (Householder, in double); multiply each column
/// of Q by the sign of R's diagonal, which makes the factorization the unique one with R's diagonal positive
/// and Q Haar-distributed (Mezzadri, "How to generate random matrices from the classical compact groups",
/// Notices AMS 2007); transpose back if rows &lt; cols; scale by gain.
/// </remarks>
public sealed class Orthogonal : Initializer
{
    /// <summary>Orthogonal scaled by <paramref name="gain"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gain"/> is not positive and finite.</exception>
    public Orthogonal(double gain = 1.0)
    {
        Init.RequirePositive(gain, nameof(gain));
        Gain = gain;
    }

    /// <summary>The multiplier on Q.</summary>
    public double Gain { get; }

    /// <inheritdoc/>
    public override string Name => "orthogonal";

    /// <inheritdoc/>
    protected override void Fill(Span<double> weights, InitContext context)
    {
        int rows = context.Rows, cols = context.Cols;
        bool tall = rows >= cols;
        int m = tall ? rows : cols, n = tall ? cols : rows; // A: (m, n), m ≥ n

        // a: A stored column by column, a[j*m + i] = A[i, j]. Tall: A[i, j] = G[i, j]; wide: A[i, j] = G[j, i].
        var a = new double[m * n];
        var rng = context.Rng;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                double g = rng.NextNormal();
                if (tall)
                    a[c * m + r] = g;
                else
                    a[r * m + c] = g;
            }
        }

        // q: (m, n) stored column by column, Q with sign(diag R) applied.
        var q = new double[m * n];
        HouseholderQ(a, q, m, n);

        // Tall: W[r, c] = Q[r, c] = q[c*m + r]. Wide: W = Qᵀ, W[r, c] = Q[c, r] = q[r*m + c], i.e. q as is.
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
                weights[r * cols + c] = Gain * (tall ? q[c * m + r] : q[r * m + c]);
        }
    }

    /// <summary>
    /// Thin QR of A (m × n, m ≥ n, column-major in <paramref name="a"/>, overwritten) by Householder reflections
    /// H_k = I − τ_k v_k v_kᵀ; writes Q·diag(sign(r_kk)) (m × n, column-major) into <paramref name="q"/>.
    /// </summary>
    internal static void HouseholderQ(double[] a, double[] q, int m, int n)
    {
        var tau = new double[n];
        var sign = new double[n];
        for (int k = 0; k < n; k++)
        {
            Span<double> x = a.AsSpan(k * m + k, m - k); // A[k:, k]; becomes v_k
            double norm = 0;
            for (int i = 0; i < x.Length; i++)
                norm += x[i] * x[i];
            norm = Math.Sqrt(norm);
            // H_k x = r_kk e₁ with r_kk = −sign(x₀)·‖x‖ (the sign that avoids cancellation in v = x − r_kk e₁).
            double rkk = x[0] >= 0 ? -norm : norm;
            sign[k] = rkk < 0 ? -1.0 : 1.0; // a zero r_kk (probability 0) keeps its column as is
            x[0] -= rkk;
            double vv = 0;
            for (int i = 0; i < x.Length; i++)
                vv += x[i] * x[i];
            tau[k] = vv > 0 ? 2.0 / vv : 0.0;
            // A[k:, j] -= τ (vᵀ A[k:, j]) v for the columns to the right.
            for (int j = k + 1; j < n; j++)
                Reflect(a.AsSpan(j * m + k, m - k), x, tau[k]);
        }

        // Q = H_0 H_1 … H_{n−1} [I_n; 0], accumulated from the right; H_k only touches rows k and below.
        Array.Clear(q);
        for (int j = 0; j < n; j++)
            q[j * m + j] = 1.0;
        for (int k = n - 1; k >= 0; k--)
        {
            ReadOnlySpan<double> v = a.AsSpan(k * m + k, m - k);
            for (int j = k; j < n; j++) // columns j < k of [I; 0] are still zero in rows ≥ k
                Reflect(q.AsSpan(j * m + k, m - k), v, tau[k]);
        }

        for (int j = 0; j < n; j++)
        {
            if (sign[j] < 0)
            {
                Span<double> column = q.AsSpan(j * m, m);
                for (int i = 0; i < m; i++)
                    column[i] = -column[i];
            }
        }
    }

    /// <summary>y ← (I − τ v vᵀ) y.</summary>
    private static void Reflect(Span<double> y, ReadOnlySpan<double> v, double tau)
    {
        double dot = 0;
        for (int i = 0; i < v.Length; i++)
            dot += v[i] * y[i];
        double s = tau * dot;
        for (int i = 0; i < v.Length; i++)
            y[i] -= s * v[i];
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Name}(gain={Gain})");
}
