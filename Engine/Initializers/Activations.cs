namespace Engine.Initializers;

/// <summary>
/// What the initializers and the command line know of each <see cref="Activation"/>, in one table: its name
/// (as <c>--activation</c> spells it), its gain (torch.nn.init.calculate_gain) and the default initializer
/// of the layer before it.
/// </summary>
/// <remarks>
/// Defaults: He normal for the rectifier-like ReLU, Leaky ReLU, PReLU, ELU, GELU and SiLU (ELU, GELU and SiLU
/// are about the identity for x &gt; 0 and about zero for x ≪ 0, like ReLU; torch's calculate_gain has no
/// entry for them, so they take ReLU's √2); LeCun normal for SELU (the self-normalizing setting of Klambauer
/// et al. 2017, gain 3/4 as in torch); Xavier uniform (Keras' glorot_uniform) for tanh, sigmoid and identity.
/// </remarks>
public static class Activations
{
    private sealed record Row(Activation Kind, string Name, Func<double, double> Gain, Func<Initializer> Default);

    private static readonly Row[] Table =
    [
        new(Activation.Identity, "identity", _ => 1.0, () => new XavierUniform()),
        new(Activation.ReLU, "relu", _ => Math.Sqrt(2.0), () => new HeNormal()),
        new(Activation.LeakyReLU, "leaky-relu", Init.LeakyReLUGain, () => new HeNormal()),
        new(Activation.PReLU, "prelu", Init.LeakyReLUGain, () => new HeNormal()),
        new(Activation.Sigmoid, "sigmoid", _ => 1.0, () => new XavierUniform()),
        new(Activation.Tanh, "tanh", _ => 5.0 / 3.0, () => new XavierUniform()),
        new(Activation.ELU, "elu", _ => Math.Sqrt(2.0), () => new HeNormal()),
        new(Activation.SELU, "selu", _ => 0.75, () => new LeCunNormal()),
        new(Activation.GELU, "gelu", _ => Math.Sqrt(2.0), () => new HeNormal()),
        new(Activation.SiLU, "silu", _ => Math.Sqrt(2.0), () => new HeNormal()),
    ];

    /// <summary>The names <see cref="Parse"/> accepts, in table order.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(Table.Select(r => r.Name).ToArray());

    /// <summary>The activation named <paramref name="name"/> (case-insensitive, surrounding spaces ignored), e.g. <c>leaky-relu</c>.</summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the valid ones.</exception>
    public static Activation Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant();
        return Table.FirstOrDefault(r => r.Name == key)?.Kind
            ?? throw new ArgumentException($"Unknown activation '{name}'. Valid names: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>The name of <paramref name="activation"/>, e.g. <c>leaky-relu</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined activation.</exception>
    public static string NameOf(Activation activation) => RowOf(activation).Name;

    /// <summary>The gain of <paramref name="activation"/>; see <see cref="Init.Gain"/>.</summary>
    internal static double Gain(Activation activation, double negativeSlope) => RowOf(activation).Gain(negativeSlope);

    /// <summary>The default initializer of a layer followed by <paramref name="activation"/>; see <see cref="Initializer.DefaultFor"/>.</summary>
    internal static Initializer DefaultFor(Activation activation) => RowOf(activation).Default();

    private static Row RowOf(Activation activation) =>
        (uint)activation < (uint)Table.Length && Table[(int)activation].Kind == activation
            ? Table[(int)activation]
            : throw new ArgumentOutOfRangeException(nameof(activation), activation, $"Unknown activation {activation}.");
}
