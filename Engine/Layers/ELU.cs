namespace Engine.Layers;

/// <summary>
/// Exponential linear unit with α = 1 (Clevert, Unterthiner &amp; Hochreiter, "Fast and Accurate Deep Network
/// Learning by Exponential Linear Units", ICLR 2016; torch.nn.ELU): y = x for x &gt; 0, α(eˣ − 1) otherwise;
/// dx = dy for y &gt; 0, (y + α)·dy otherwise. Rectifier-like, so the layer before defaults to He normal.
/// </summary>
public sealed class ELU<T> : ExponentialLinear<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>α, the negative saturation value.</summary>
    public const double Alpha = 1.0;

    /// <summary>The layer.</summary>
    public ELU() : base("ELU", Activation.ELU, scale: 1.0, Alpha)
    {
    }
}
