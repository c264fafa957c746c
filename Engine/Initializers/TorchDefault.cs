namespace Engine.Initializers;

/// <summary>
/// PyTorch's nn.Linear default (Linear.reset_parameters): weights kaiming_uniform_ with a = √5, i.e. gain
/// √(2/(1+5)) = √(1/3) and bound = √3·gain/√fan_in = 1/√fan_in, so w ~ U(−1/√fan_in, 1/√fan_in) and std =
/// 1/√(3·fan_in); the bias from the same U(±1/√fan_in) with the layer's fan_in (<see cref="ImpliedBias"/>).
/// Whatever activation follows: the variance is a third of LeCun's, so a deep ReLU stack shrinks its
/// activations by about √6 per layer. Offered to compare the engine's default with PyTorch's on the same data.
/// </summary>
public sealed class TorchDefault : Initializer
{
    /// <inheritdoc/>
    public override string Name => "torch-default";

    /// <summary>This scheme again: for a bias the context's <see cref="InitContext.LayerFanIn"/> is the layer's fan_in, so the bias is U(±1/√fan_in) too.</summary>
    public override IInitializer? ImpliedBias => this;

    /// <summary>bound = 1/√fan_in, with fan_in = <see cref="InitContext.LayerFanIn"/> if set, else the tensor's columns.</summary>
    public static double Bound(InitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return 1.0 / Math.Sqrt(context.LayerFanIn ?? context.FanIn);
    }

    /// <inheritdoc/>
    protected override void Fill(Span<double> weights, InitContext context)
    {
        double bound = Bound(context);
        Init.FillUniform(weights, context.Rng, -bound, bound);
    }
}
