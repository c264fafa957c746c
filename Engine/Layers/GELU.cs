using Engine.Kernels;

namespace Engine.Layers;

/// <summary>
/// Gaussian error linear unit (Hendrycks &amp; Gimpel, "Gaussian Error Linear Units", 2016; torch.nn.GELU):
/// y = x·Φ(x) with Φ the standard normal CDF, Φ(x) = ½·erfc(−x/√2); dx = dy·(Φ(x) + x·φ(x)).
/// With <c>approximateTanh</c> (torch's <c>approximate='tanh'</c>): y = ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³),
/// dx = dy·(½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²)), t = tanh(u).
/// Rectifier-like, so the layer before defaults to He normal.
/// </summary>
/// <remarks>
/// Computed element by element in double (erf from <see cref="SpecialFunctions"/>, which the BCL lacks), so it
/// is slower than the other activations; the forward value and the derivative come from the same Φ, which
/// keeps the gradient consistent with the function to double precision.
/// </remarks>
public sealed class GELU<T> : ElementwiseActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The <see cref="LayerSpec.Approximate"/> value of the tanh approximation.</summary>
    public const string TanhApproximation = "tanh";

    private const double SqrtTwoOverPi = 0.79788456080286536; // √(2/π)
    private const double Cubic = 0.044715;

    /// <summary>The exact form, or the tanh approximation with <paramref name="approximateTanh"/>.</summary>
    public GELU(bool approximateTanh = false) : base("GELU", Activation.GELU, isRectifier: true) => ApproximateTanh = approximateTanh;

    /// <summary>Whether this is the tanh approximation rather than the exact x·Φ(x).</summary>
    public bool ApproximateTanh { get; }

    /// <inheritdoc/>
    public override LayerSpec Spec => new(Name, Approximate: ApproximateTanh ? TanhApproximation : null);

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateChecked(x[i]);
            y[i] = T.CreateChecked(ApproximateTanh
                ? 0.5 * v * (1.0 + Math.Tanh(SqrtTwoOverPi * (v + Cubic * v * v * v)))
                : v * SpecialFunctions.NormalCdf(v));
        }
    }

    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateChecked(x[i]), slope;
            if (ApproximateTanh)
            {
                double t = Math.Tanh(SqrtTwoOverPi * (v + Cubic * v * v * v));
                slope = 0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * SqrtTwoOverPi * (1.0 + 3.0 * Cubic * v * v);
            }
            else
            {
                slope = SpecialFunctions.NormalCdf(v) + v * SpecialFunctions.NormalPdf(v);
            }
            dx[i] = dy[i] * T.CreateChecked(slope);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => ApproximateTanh ? "GELU(tanh)" : "GELU";
}
