using System.Numerics;
using System.Numerics.Tensors;
using Engine.Layers;

namespace Engine.Optimizers;

/// <summary>
/// Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay, following
/// PyTorch's torch.optim.SGD (dampening 0):
/// g = ∇ + λ·w (λ only for parameters with WeightDecay); v = μ·v + g (v = g on the first step);
/// update = g + μ·v with Nesterov, else v; w = w − lr·update.
/// </summary>
public sealed class Sgd<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _velocity;
    private readonly T[][] _scratch;

    /// <summary>Creates the optimizer.</summary>
    public Sgd(IEnumerable<Parameter<T>> parameters, double learningRate = 0.01, double momentum = 0,
        bool nesterov = false, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        Momentum = CheckFraction(momentum, nameof(momentum));
        WeightDecay = CheckNonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0)
            throw new ArgumentException("Nesterov momentum needs momentum > 0.", nameof(nesterov));
        Nesterov = nesterov;
        _velocity = [.. Parameters.Select(p => momentum > 0 ? new T[p.Length] : [])];
        _scratch = [.. Parameters.Select(p => weightDecay > 0 || nesterov ? new T[p.Length] : [])];
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether the Nesterov form is used.</summary>
    public bool Nesterov { get; }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<T[]> StateBuffers => _velocity;

    /// <inheritdoc/>
    public override void Step()
    {
        T lr = T.CreateChecked(LearningRate), mu = T.CreateChecked(Momentum), wd = T.CreateChecked(WeightDecay);
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            Span<T> w = p.Value.AsSpan();
            ReadOnlySpan<T> g = p.Grad.AsSpan();
            if (WeightDecay > 0 && p.WeightDecay)
            {
                // g = ∇ + λ·w
                Span<T> s = _scratch[i];
                TensorPrimitives.MultiplyAdd(w, wd, g, s);
                g = s;
            }
            if (Momentum > 0)
            {
                Span<T> v = _velocity[i];
                if (StepCount == 0)
                    g.CopyTo(v);
                else
                    TensorPrimitives.MultiplyAdd(v, mu, g, v); // v = μ·v + g
                if (Nesterov)
                {
                    Span<T> s = _scratch[i];
                    TensorPrimitives.MultiplyAdd(v, mu, g, s); // g + μ·v
                    g = s;
                }
                else
                {
                    g = v;
                }
            }
            TensorPrimitives.MultiplyAdd(g, -lr, w, w); // w = w − lr·g
        }
        StepCount++;
    }
}
