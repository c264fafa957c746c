namespace Engine.Layers;

/// <summary>
/// The architecture of one layer as stored in files: its type and settings, not its weights. A layer gives
/// its own (<see cref="Layer{T}.Spec"/>); <see cref="LayerRegistry"/> turns a spec back into a layer.
/// Type names are the layer names (Dense, ReLU, LeakyReLU, PReLU, Sigmoid, Tanh, Identity, ELU, SELU, GELU,
/// SiLU); a field a type does not use is null and left out of the JSON, so files written before a field
/// existed read the same.
/// </summary>
/// <param name="Type">Layer type.</param>
/// <param name="In">Dense: input features.</param>
/// <param name="Out">Dense: output features.</param>
/// <param name="Slope">LeakyReLU: negative slope; PReLU: initial slope.</param>
/// <param name="NumParameters">PReLU: number of slopes.</param>
/// <param name="Approximate">GELU: "tanh" for the tanh approximation, null for the exact form (torch's <c>approximate</c>).</param>
public sealed record LayerSpec(string Type, int? In = null, int? Out = null, double? Slope = null, int? NumParameters = null,
    string? Approximate = null)
{
    /// <summary>The spec of an existing layer (its <see cref="Layer{T}.Spec"/>).</summary>
    public static LayerSpec Of(Layer<float> layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return layer.Spec;
    }

    /// <summary>A new layer (weights zero) from this spec; <paramref name="problem"/> reports what is wrong with it.</summary>
    public Layer<float> Create(Func<string, Exception> problem) => LayerRegistry.Create<float>(this, problem);
}
