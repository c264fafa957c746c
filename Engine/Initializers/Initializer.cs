namespace Engine.Initializers;

/// <summary>
/// Base of the built-in initializers: checks the span against the context's shape, treats an empty
/// shape as a no-op (nothing is drawn), and gives each scheme a <see cref="Name"/> as accepted by
/// <see cref="Parse"/>. Also home of <see cref="DefaultFor"/> and <see cref="Parse"/>.
/// </summary>
public abstract class Initializer : IInitializer
{
    // Every name Parse accepts and the scheme it makes with default parameters: the one list of initializer names.
    private static readonly (string Name, Func<Initializer> Create)[] ByName =
    [
        ("he-normal", () => new HeNormal()),
        ("he-uniform", () => new HeUniform()),
        ("he-truncated-normal", () => new HeTruncatedNormal()),
        ("xavier-normal", () => new XavierNormal()),
        ("xavier-uniform", () => new XavierUniform()),
        ("glorot-normal", () => new XavierNormal()),
        ("glorot-uniform", () => new XavierUniform()),
        ("lecun-normal", () => new LeCunNormal()),
        ("lecun-uniform", () => new LeCunUniform()),
        ("uniform", () => new Uniform()),
        ("normal", () => new Normal()),
        ("truncated-normal", () => new TruncatedNormal()),
        ("orthogonal", () => new Orthogonal()),
        ("torch-default", () => new TorchDefault()),
        ("zeros", () => new Zeros()),
    ];

    /// <summary>The scheme's name in the CLI's spelling, e.g. <c>he-normal</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The bias initializer this weight scheme implies when a layer is given none, or null for zero biases (every
    /// scheme but <see cref="TorchDefault"/>, which stands for PyTorch's nn.Linear and its U(±1/√fan_in) bias).
    /// </summary>
    public virtual IInitializer? ImpliedBias => null;

    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(ByName.Select(n => n.Name).ToArray());

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The span's length is not Rows × Cols.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Negative Rows or Cols.</exception>
    public void Initialize(Span<double> weights, InitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Rows < 0 || context.Cols < 0)
            throw new ArgumentOutOfRangeException(nameof(context), $"{Name}: the weight shape must not be negative, got {context.Rows}×{context.Cols}.");
        if (weights.Length != (long)context.Rows * context.Cols)
            throw new ArgumentException($"{Name}: the weight span has {weights.Length} elements but the shape {context.Rows}×{context.Cols} needs {(long)context.Rows * context.Cols}.", nameof(weights));
        if (weights.IsEmpty)
            return;
        ArgumentNullException.ThrowIfNull(context.Rng);
        Fill(weights, context);
    }

    /// <summary>Fills a non-empty span whose length has been checked against the context's shape.</summary>
    protected abstract void Fill(Span<double> weights, InitContext context);

    /// <summary>The scheme's name, with its parameters where it has any.</summary>
    public override string ToString() => Name;

    /// <summary>
    /// The default initializer for a layer followed by <paramref name="activation"/>: He normal (fan_in,
    /// slope-aware gain) for the rectifier-like ReLU, Leaky ReLU, PReLU, ELU, GELU and SiLU; LeCun normal for
    /// SELU (self-normalizing); Xavier uniform (Keras' glorot_uniform) for tanh, sigmoid and identity.
    /// The choices are rows of <see cref="Activations"/>' table.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined activation.</exception>
    public static Initializer DefaultFor(Activation activation) => Activations.DefaultFor(activation);

    /// <summary>
    /// The initializer named <paramref name="name"/> with its default parameters (case-insensitive, surrounding
    /// spaces ignored): one of <see cref="Names"/> (he-normal, he-uniform, he-truncated-normal, xavier-normal,
    /// xavier-uniform, or glorot-normal, glorot-uniform, lecun-normal, lecun-uniform, uniform, normal, truncated-normal,
    /// orthogonal, torch-default, zeros).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the valid ones.</exception>
    public static Initializer Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant();
        foreach (var (known, create) in ByName)
        {
            if (known == key)
                return create();
        }
        throw new ArgumentException($"Unknown initializer '{name}'. Valid names: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>The <see cref="Name"/> of a built-in initializer, or the type name of any other <see cref="IInitializer"/>.</summary>
    public static string NameOf(IInitializer initializer)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        return initializer is Initializer builtIn ? builtIn.Name : initializer.GetType().Name;
    }
}
