namespace Engine.Layers;

/// <summary>Implemented by activation layers so a model can pick the initializer and gain of the layer before.</summary>
public interface IActivationLayer
{
    /// <summary>Which nonlinearity this is.</summary>
    Activation Kind { get; }

    /// <summary>The negative slope a (Leaky ReLU's constant, PReLU's initial value), else 0.</summary>
    double NegativeSlope { get; }

    /// <summary>
    /// Whether the activation is rectifier-like: about the identity for x &gt; 0 and flat or saturating for
    /// x ≤ 0 (ReLU, Leaky ReLU, PReLU, ELU, SELU, GELU, SiLU). Such a unit whose input is never positive
    /// over a batch is counted as dead by the diagnostics; tanh, sigmoid and the identity have no such state.
    /// </summary>
    bool IsRectifier { get; }
}
