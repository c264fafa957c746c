namespace Engine.Initializers;

/// <summary>
/// Which fan a variance-preserving initializer divides by (torch.nn.init's <c>mode</c>).
/// </summary>
public enum FanMode
{
    /// <summary>fan_in (the weight's columns): preserves the variance of activations in the forward pass.</summary>
    FanIn,

    /// <summary>fan_out (the weight's rows): preserves the variance of gradients in the backward pass.</summary>
    FanOut,
}
