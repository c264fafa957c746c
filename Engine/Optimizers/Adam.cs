using Engine.Layers;

namespace Engine.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) and, with <c>decoupled: true</c>, AdamW (Loshchilov &amp; Hutter 2019), as
/// torch.optim.Adam/AdamW: m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²;
/// w = w − lr·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε). Adam adds λ·w to g (L2); AdamW instead scales
/// w by (1 − lr·λ) before the update. Decay applies only to parameters with WeightDecay.
/// </summary>
public class Adam<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _m;
    private readonly T[][] _v;
    private readonly T[][] _scratch;

    /// <summary>Creates the optimizer.</summary>
    public Adam(IEnumerable<Parameter<T>> parameters, double learningRate = 0.001, double beta1 = 0.9,
        double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0, bool decoupled = false)
        : base(parameters, learningRate)
    {
        Beta1 = CheckFraction(beta1, nameof(beta1));
        Beta2 = CheckFraction(beta2, nameof(beta2));
        Epsilon = CheckNonNegative(epsilon, nameof(epsilon));
        WeightDecay = CheckNonNegative(weightDecay, nameof(weightDecay));
        Decoupled = decoupled;
        _m = [.. Parameters.Select(p => new T[p.Length])];
        _v = [.. Parameters.Select(p => new T[p.Length])];
        _scratch = [.. Parameters.Select(p => new T[p.Length])];
    }

    /// <summary>β₁.</summary>
    public double Beta1 { get; }

    /// <summary>β₂.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    /// <summary>True for AdamW's decoupled decay.</summary>
    public bool Decoupled { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<T[]> StateBuffers => [.. _m, .. _v];

    /// <inheritdoc/>
    public override void Step()
    {
        long t = StepCount + 1;
        double bias1 = 1 - Math.Pow(Beta1, t), bias2 = 1 - Math.Pow(Beta2, t);
        T b1 = T.CreateChecked(Beta1), b2 = T.CreateChecked(Beta2);
        T oneMinusB1 = T.CreateChecked(1 - Beta1), oneMinusB2 = T.CreateChecked(1 - Beta2);
        T invSqrtBias2 = T.CreateChecked(1 / Math.Sqrt(bias2)), eps = T.CreateChecked(Epsilon);
        T stepSize = T.CreateChecked(-LearningRate / bias1);
        T wd = T.CreateChecked(WeightDecay), decay = T.CreateChecked(1 - LearningRate * WeightDecay);
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            Span<T> w = p.Value.AsSpan(), m = _m[i], v = _v[i], s = _scratch[i];
            ReadOnlySpan<T> g = p.Grad.AsSpan();
            bool decays = WeightDecay > 0 && p.WeightDecay;
            if (decays && Decoupled)
                TensorPrimitives.Multiply(w, decay, w);          // w = (1 − lr·λ)·w
            if (decays && !Decoupled)
            {
                TensorPrimitives.MultiplyAdd(w, wd, g, s);       // g = ∇ + λ·w
                g = s;
            }
            TensorPrimitives.Multiply(m, b1, m);
            TensorPrimitives.MultiplyAdd(g, oneMinusB1, m, m);   // m = β₁m + (1−β₁)g
            TensorPrimitives.Multiply(g, g, s);
            TensorPrimitives.Multiply(v, b2, v);
            TensorPrimitives.MultiplyAdd(s, oneMinusB2, v, v);   // v = β₂v + (1−β₂)g²
            TensorPrimitives.Sqrt<T>(v, s);
            TensorPrimitives.Multiply(s, invSqrtBias2, s);
            TensorPrimitives.Add(s, eps, s);                      // √v̂ + ε
            TensorPrimitives.Divide(m, s, s);
            TensorPrimitives.MultiplyAdd(s, stepSize, w, w);     // w −= lr/(1−β₁ᵗ) · m/(√v̂ + ε)
        }
        StepCount++;
    }
}

/// <summary>AdamW: Adam with decoupled weight decay (default λ = 0.01, as PyTorch).</summary>
public sealed class AdamW<T> : Adam<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer.</summary>
    public AdamW(IEnumerable<Parameter<T>> parameters, double learningRate = 0.001, double beta1 = 0.9,
        double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: true)
    {
    }
}
