namespace Engine.Initializers;

/// <summary>w = 0 (torch.nn.init.zeros_). Draws nothing. Every unit of a layer starts identical, so use it for biases, not weights.</summary>
public sealed class Zeros : Initializer
{
    /// <inheritdoc/>
    public override string Name => "zeros";

    /// <inheritdoc/>
    protected override void Fill(Span<double> weights, InitContext context) => weights.Clear();
}
