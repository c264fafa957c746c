using Engine.Layers;
using Engine.Losses;

namespace Engine.Diagnostics;

/// <summary>
/// Per-layer activation and gradient statistics of a model on one batch: what He et al. (2015) track to
/// show whether the signal keeps its scale through depth, and how many ReLU units are dead.
/// </summary>
public static class Inspector
{
    /// <summary>
    /// Runs <paramref name="batch"/> through <paramref name="model"/> layer by layer and, when a loss and
    /// targets are given, one backward pass (parameter gradients are cleared before and left filled).
    /// </summary>
    public static IReadOnlyList<LayerReport> Inspect(Sequential<float> model, Matrix<float> batch, Loss<float>? loss = null, Matrix<float>? targets = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        if ((loss is null) != (targets is null))
            throw new ArgumentException("Give both a loss and targets for gradient statistics, or neither.", nameof(targets));

        var layers = model.Layers;
        var outputs = new Matrix<float>[layers.Count];
        var x = batch;
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].Forward(x);
            outputs[i] = x.Clone(); // later layers may reuse their input's buffer in place
        }

        var gradOutputs = new Matrix<float>?[layers.Count];
        if (loss is not null)
        {
            model.ZeroGrad();
            loss.Forward(x, targets!);
            Matrix<float>? g = loss.Backward();
            for (int i = layers.Count - 1; i >= 0 && g is not null; i--)
            {
                gradOutputs[i] = g.Clone();
                g = layers[i].Backward(g, computeInputGrad: i > 0);
            }
        }

        var reports = new List<LayerReport>(layers.Count);
        for (int i = 0; i < layers.Count; i++)
        {
            var (mean, std) = Statistics.MeanStd(outputs[i].AsSpan());
            // A unit of a rectifier-like activation (IActivationLayer.IsRectifier: ReLU, Leaky ReLU, PReLU, ELU,
            // SELU, GELU, SiLU) is dead when its input (the pre-activation) is never positive over the batch:
            // it then sits on the flat or saturating side (for Leaky ReLU and PReLU the output a·x is ≤ 0 too,
            // so the input decides). Tanh, sigmoid and the identity get no figure.
            double? dead = layers[i] is IActivationLayer { IsRectifier: true }
                ? Statistics.DeadFraction(i == 0 ? batch : outputs[i - 1])
                : null;
            double? gradStd = gradOutputs[i] is { } go ? Statistics.MeanStd(go.AsSpan()).Std : null;
            double? weightStd = null, weightGradStd = null;
            if (layers[i] is Dense<float> dense)
            {
                weightStd = Statistics.MeanStd(dense.Weight.Value.AsSpan()).Std;
                if (loss is not null)
                    weightGradStd = Statistics.MeanStd(dense.Weight.Grad.AsSpan()).Std;
            }
            double? saturated = layers[i] is IActivationLayer { Kind: Activation.Tanh or Activation.Sigmoid } squashing
                ? Statistics.SaturatedFraction(outputs[i].AsSpan(), squashing.Kind == Activation.Sigmoid, Advisor.SaturationLevel)
                : null;
            reports.Add(new LayerReport(i, layers[i].ToString(), outputs[i].Cols, mean, std, dead, gradStd, weightStd, weightGradStd, saturated));
        }
        return reports;
    }
}
