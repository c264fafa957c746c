namespace Engine.Layers;

/// <summary>
/// Every layer type the engine can save, load and build by name, in one table: from a <see cref="LayerSpec"/>
/// back to a layer (<see cref="Create{T}"/>), the spec's parameter names and shapes without building it
/// (<see cref="ParameterShapes"/>, so a reader checks a file's sizes before allocating), and the activation
/// layer for an <see cref="Activation"/> (<see cref="CreateActivation{T}"/>).
/// </summary>
/// <remarks>
/// To add a layer type: write its class (its <see cref="Layer{T}.Name"/>, and <see cref="Layer{T}.Spec"/> if it
/// has settings), then add one entry to the table below. An activation also needs its <see cref="Activation"/>
/// value and a row in <see cref="Initializers.Activations"/> (name, gain, default initializer). Nothing else
/// switches on layer types.
/// </remarks>
public static class LayerRegistry
{
    /// <summary>Largest Dense width, and largest PReLU slope count, a file may claim.</summary>
    private const int MaxWidth = 1 << 24;

    /// <summary>Largest Dense weight count a file may claim (1 GiB of float32).</summary>
    private const long MaxDenseWeights = 1L << 28;

    /// <summary>One layer type. <paramref name="Problem"/> is null for a spec it accepts, else what is wrong.</summary>
    private sealed record Entry<T>(
        string Type,
        Func<LayerSpec, Layer<T>> Create,
        Activation? Activation = null,
        Func<double, LayerSpec>? ForActivation = null,
        Func<LayerSpec, string?>? Problem = null,
        Func<LayerSpec, (string Name, long[] Shape)[]>? Parameters = null)
        where T : unmanaged, IFloatingPointIeee754<T>;

    // ---- the table: one entry per layer type ----
    private static Entry<T>[] Table<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
    [
        new("Dense", s => new Dense<T>(s.In!.Value, s.Out!.Value), Problem: DenseProblem,
            Parameters: s => [("weight", [s.Out!.Value, s.In!.Value]), ("bias", [s.Out!.Value])]),
        new("Identity", _ => new Identity<T>(), Activation.Identity),
        new("ReLU", _ => new ReLU<T>(), Activation.ReLU),
        new("LeakyReLU", s => new LeakyReLU<T>(s.Slope!.Value), Activation.LeakyReLU, a => new("LeakyReLU", Slope: a),
            s => s.Slope is double a && double.IsFinite(a) ? null : $"LeakyReLU has invalid slope {s.Slope}."),
        new("PReLU", s => new PReLU<T>(s.NumParameters!.Value, s.Slope!.Value), Activation.PReLU,
            _ => new("PReLU", Slope: 0.25, NumParameters: 1), // one shared slope starting at 0.25, PyTorch's default
            s => s.NumParameters is > 0 and <= MaxWidth && s.Slope is double a && double.IsFinite(a) ? null
                : $"PReLU has invalid parameters (count {s.NumParameters}, slope {s.Slope}).",
            s => [("weight", [s.NumParameters!.Value])]),
        new("Sigmoid", _ => new Sigmoid<T>(), Activation.Sigmoid),
        new("Tanh", _ => new Tanh<T>(), Activation.Tanh),
        new("ELU", _ => new ELU<T>(), Activation.ELU),
        new("SELU", _ => new SELU<T>(), Activation.SELU),
        new("GELU", s => new GELU<T>(s.Approximate == GELU<T>.TanhApproximation), Activation.GELU,
            Problem: s => s.Approximate is null or GELU<T>.TanhApproximation ? null : $"GELU has invalid approximation '{s.Approximate}' (expected \"tanh\" or none)."),
        new("SiLU", _ => new SiLU<T>(), Activation.SiLU),
    ];

    private static string? DenseProblem(LayerSpec s)
    {
        if (s.In is not (> 0 and <= MaxWidth) || s.Out is not (> 0 and <= MaxWidth))
            return $"Dense layer has invalid sizes in={s.In}, out={s.Out}.";
        if ((long)s.In.Value * s.Out.Value > MaxDenseWeights)
            return $"Dense layer {s.In}×{s.Out} is larger than any model this engine writes.";
        return null;
    }

    // The table, built once per element type.
    private static class Cache<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static readonly Entry<T>[] Entries = Table<T>();
        public static readonly Dictionary<string, Entry<T>> ByType = Entries.ToDictionary(e => e.Type, StringComparer.Ordinal);
    }

    /// <summary>The type names a spec may have, in table order.</summary>
    public static IReadOnlyList<string> Types { get; } = Array.AsReadOnly(Cache<float>.Entries.Select(e => e.Type).ToArray());

    /// <summary>What is wrong with <paramref name="spec"/> (an unknown type, invalid sizes or settings), or null if a layer can be built from it.</summary>
    public static string? Problem(LayerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Type is null || !Cache<float>.ByType.TryGetValue(spec.Type, out var entry))
            return $"unknown layer type '{spec.Type}'.";
        return entry.Problem?.Invoke(spec);
    }

    /// <summary>
    /// The state_dict names and PyTorch shapes of the parameters a layer built from <paramref name="spec"/> has,
    /// in order, without building it. <paramref name="problem"/> reports an invalid spec.
    /// </summary>
    public static IReadOnlyList<(string Name, long[] Shape)> ParameterShapes(LayerSpec spec, Func<string, Exception> problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (Problem(spec) is string what)
            throw problem(what);
        return Cache<float>.ByType[spec.Type].Parameters?.Invoke(spec) ?? [];
    }

    /// <summary>A new layer (weights zero) from <paramref name="spec"/>; <paramref name="problem"/> reports what is wrong with it.</summary>
    public static Layer<T> Create<T>(LayerSpec spec, Func<string, Exception> problem) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (Problem(spec) is string what)
            throw problem(what);
        return Cache<T>.ByType[spec.Type].Create(spec);
    }

    /// <summary>
    /// The activation layer for <paramref name="activation"/>: <paramref name="negativeSlope"/> is Leaky ReLU's
    /// slope; PReLU gets one shared slope starting at 0.25, as PyTorch's default; GELU is the exact form.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined activation, or a non-finite slope for Leaky ReLU.</exception>
    public static Layer<T> CreateActivation<T>(Activation activation, double negativeSlope = 0.01) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var entry = Cache<T>.Entries.FirstOrDefault(e => e.Activation == activation)
            ?? throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        return entry.Create(entry.ForActivation?.Invoke(negativeSlope) is { } spec ? CheckActivationSpec(spec) : new LayerSpec(entry.Type));

        static LayerSpec CheckActivationSpec(LayerSpec spec) => Problem(spec) is string what
            ? throw new ArgumentOutOfRangeException(nameof(negativeSlope), what)
            : spec;
    }
}
