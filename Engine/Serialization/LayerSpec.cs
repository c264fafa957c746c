using Engine.Layers;

namespace Engine.Serialization;

/// <summary>
/// The architecture of one layer as stored in files: its type and sizes, not its weights.
/// Type names are the layer names: Dense, ReLU, LeakyReLU, PReLU, Sigmoid, Tanh, Identity.
/// </summary>
/// <param name="Type">Layer type.</param>
/// <param name="In">Dense: input features.</param>
/// <param name="Out">Dense: output features.</param>
/// <param name="Slope">LeakyReLU: negative slope; PReLU: initial slope.</param>
/// <param name="NumParameters">PReLU: number of slopes.</param>
public sealed record LayerSpec(string Type, int? In = null, int? Out = null, double? Slope = null, int? NumParameters = null)
{
    /// <summary>The spec of an existing layer.</summary>
    public static LayerSpec Of(Layer<float> layer) => layer switch
    {
        Dense<float> d => new LayerSpec("Dense", d.InFeatures, d.OutFeatures),
        LeakyReLU<float> l => new LayerSpec("LeakyReLU", Slope: l.NegativeSlope),
        PReLU<float> p => new LayerSpec("PReLU", Slope: p.InitialSlope, NumParameters: p.NumParameters),
        ReLU<float> or Sigmoid<float> or Tanh<float> or Identity<float> => new LayerSpec(layer.Name),
        _ => throw new NotSupportedException($"Layer type {layer.GetType().Name} cannot be saved."),
    };

    /// <summary>
    /// The number of parameters the layer would have, from the spec alone (0 for a spec <see cref="Create"/>
    /// refuses), so a reader can check the sizes a file claims before allocating anything.
    /// </summary>
    internal long ParameterCount => Type switch
    {
        "Dense" when In > 0 && Out > 0 => ((long)In.Value + 1) * Out.Value,
        "PReLU" when NumParameters > 0 => NumParameters.Value,
        _ => 0,
    };

    /// <summary>A new layer (weights zero) from this spec; <paramref name="problem"/> reports what is wrong with it.</summary>
    public Layer<float> Create(Func<string, Exception> problem)
    {
        switch (Type)
        {
            case "Dense":
                if (In is not (> 0 and <= 1 << 24) || Out is not (> 0 and <= 1 << 24))
                    throw problem($"Dense layer has invalid sizes in={In}, out={Out}.");
                if ((long)In.Value * Out.Value > 1L << 28)
                    throw problem($"Dense layer {In}×{Out} is larger than any model this engine writes.");
                return new Dense<float>(In.Value, Out.Value);
            case "ReLU":
                return new ReLU<float>();
            case "LeakyReLU":
                return Slope is double s && double.IsFinite(s) ? new LeakyReLU<float>(s) : throw problem($"LeakyReLU has invalid slope {Slope}.");
            case "PReLU":
                if (NumParameters is not (> 0 and <= 1 << 24) || Slope is not double a || !double.IsFinite(a))
                    throw problem($"PReLU has invalid parameters (count {NumParameters}, slope {Slope}).");
                return new PReLU<float>(NumParameters.Value, a);
            case "Sigmoid":
                return new Sigmoid<float>();
            case "Tanh":
                return new Tanh<float>();
            case "Identity":
                return new Identity<float>();
            default:
                throw problem($"unknown layer type '{Type}'.");
        }
    }
}
