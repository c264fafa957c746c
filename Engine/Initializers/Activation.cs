namespace Engine;

/// <summary>The nonlinearity that follows a weight layer; it decides the default initializer and the gain.</summary>
/// <remarks>
/// Each value has one row in <see cref="Initializers.Activations"/> (its name, gain and default initializer) and
/// one entry in <c>Layers.LayerRegistry</c> (its layer).
/// </remarks>
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
    /// <summary>f(x) = x for x &gt; 0, α(eˣ − 1) otherwise, α = 1 (Clevert, Unterthiner &amp; Hochreiter 2016).</summary>
    ELU,
    /// <summary>f(x) = λ·x for x &gt; 0, λα(eˣ − 1) otherwise, λ ≈ 1.0507, α ≈ 1.6733 (Klambauer et al. 2017).</summary>
    SELU,
    /// <summary>f(x) = x·Φ(x), Φ the standard normal CDF (Hendrycks &amp; Gimpel 2016).</summary>
    GELU,
    /// <summary>f(x) = x·σ(x), also called swish (Elfwing, Uchibe &amp; Doya 2018; Ramachandran et al. 2017).</summary>
    SiLU,
}
