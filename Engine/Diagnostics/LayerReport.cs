namespace Engine.Diagnostics;

/// <summary>
/// Statistics of one layer on one batch. For a Dense layer the output is the pre-activation; for an
/// activation layer it is the activation. Gradient figures are present when the inspection ran a backward pass.
/// </summary>
/// <param name="Index">Position in the Sequential.</param>
/// <param name="Layer">The layer, e.g. "Dense(784 → 256)".</param>
/// <param name="Units">Output features.</param>
/// <param name="OutputMean">Mean of the layer's outputs over the batch and units.</param>
/// <param name="OutputStd">Standard deviation of those outputs (population form, √(E[x²] − E[x]²)).</param>
/// <param name="DeadFraction">Activation layers of the ReLU family: share of units whose output is never positive over the batch.</param>
/// <param name="GradOutputStd">Std of dL/d(output).</param>
/// <param name="WeightStd">Dense: std of the weights.</param>
/// <param name="WeightGradStd">Dense: std of dL/dW.</param>
/// <param name="SaturatedFraction">Tanh and sigmoid layers: share of outputs (rows × units) beyond <see cref="Advisor.SaturationLevel"/> in magnitude (for the sigmoid, of 2y − 1).</param>
public sealed record LayerReport(
    int Index,
    string Layer,
    int Units,
    double OutputMean,
    double OutputStd,
    double? DeadFraction = null,
    double? GradOutputStd = null,
    double? WeightStd = null,
    double? WeightGradStd = null,
    double? SaturatedFraction = null);
