namespace Engine;

/// <summary>The nonlinearity that follows a weight layer; it decides the default initializer and the gain.</summary>
public enum Activation
{
    /// <summary>f(x) = x.</summary>
    Identity,
    /// <summary>f(x) = max(0, x).</summary>
    ReLU,
    /// <summary>f(x) = x for x &gt; 0, a·x otherwise, with a fixed slope a.</summary>
    LeakyReLU,
    /// <summary>Leaky ReLU whose slope a is learned (He et al. 2015).</summary>
    PReLU,
    /// <summary>f(x) = 1 / (1 + e⁻ˣ).</summary>
    Sigmoid,
    /// <summary>f(x) = tanh(x).</summary>
    Tanh,
}
