namespace Engine.Layers;

/// <summary>Implemented by activation layers so a model can pick the initializer and gain of the layer before.</summary>
public interface IActivationLayer
{
    /// <summary>Which nonlinearity this is.</summary>
    Activation Kind { get; }

    /// <summary>The negative slope a (Leaky ReLU's constant, PReLU's initial value), else 0.</summary>
    double NegativeSlope { get; }
}
