namespace Engine.Layers;

/// <summary>
/// Layers applied in order, as PyTorch's nn.Sequential. Backward runs them in reverse and skips the
/// input gradient of the first layer. Parameters are named as a PyTorch state_dict would name them:
/// "0.weight", "0.bias", "2.weight", ….
/// </summary>
public sealed class Sequential<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer<T>[] _layers;

    /// <summary>A model of the given layers.</summary>
    public Sequential(params Layer<T>[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0)
            throw new ArgumentException("A Sequential needs at least one layer.", nameof(layers));
        for (int i = 0; i < layers.Length; i++)
        {
            if (layers[i] is null)
                throw new ArgumentNullException(nameof(layers), $"Layer {i} is null.");
        }
        CheckWidths(layers);
        _layers = layers;
        NamedParameters = [.. _layers.SelectMany((layer, i) => layer.Parameters.Select(p => ($"{i}.{p.Name}", p)))];
        Parameters = [.. NamedParameters.Select(np => np.Parameter)];
        InputFeatures = _layers.Select(layer => layer.RequiredInputFeatures).FirstOrDefault(n => n is not null);
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Layer<T>> Layers => _layers;

    /// <summary>All parameters, in layer order.</summary>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>All parameters with their state_dict names ("0.weight", …).</summary>
    public IReadOnlyList<(string Name, Parameter<T> Parameter)> NamedParameters { get; }

    /// <summary>
    /// The input width the model takes: that of the first layer which fixes one (a dense layer's in features,
    /// a lookup layer's input columns, a per-unit PReLU's units), or null if none does.
    /// </summary>
    public int? InputFeatures { get; }

    /// <summary>Total number of learnable scalars.</summary>
    public long ParameterCount => Parameters.Sum(p => (long)p.Length);

    /// <summary>Output features for <paramref name="inputFeatures"/> inputs.</summary>
    public int OutputFeatures(int inputFeatures)
    {
        int f = inputFeatures;
        foreach (var layer in _layers)
            f = layer.OutputFeatures(f);
        return f;
    }

    /// <summary>
    /// Draws every dense layer's parameters from <paramref name="rng"/>. Each dense layer's default
    /// initializer and gain follow from the activation layer right after it (identity if none). A
    /// <see cref="OneHotDense{T}"/> draws exactly as the Dense it stands for.
    /// </summary>
    public void Initialize(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int i = 0; i < _layers.Length; i++)
        {
            var dense = _layers[i] as Dense<T> ?? (_layers[i] as OneHotDense<T>)?.Dense;
            if (dense is null)
                continue;
            var next = i + 1 < _layers.Length ? _layers[i + 1] as IActivationLayer : null;
            dense.ResetParameters(rng, next?.Kind ?? Activation.Identity, next?.NegativeSlope ?? 0);
        }
    }

    /// <summary>Initializes from a seed: the same seed gives bit-identical weights.</summary>
    public void Initialize(ulong seed) => Initialize(new Rng(seed));

    /// <summary>Runs the batch through every layer; the result is owned by the last layer.</summary>
    public Matrix<T> Forward(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var x = input;
        foreach (var layer in _layers)
            x = layer.Forward(x);
        return x;
    }

    /// <summary>Back-propagates dL/d(output) of the last Forward, accumulating parameter gradients.</summary>
    public void Backward(Matrix<T> gradOutput)
    {
        var g = gradOutput;
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            bool needInputGrad = i > 0 && LayersBelowHaveParameters(i);
            var dx = _layers[i].Backward(g, needInputGrad);
            if (dx is null)
                break;
            g = dx;
        }
    }

    /// <summary>Sets every parameter gradient to zero.</summary>
    public void ZeroGrad()
    {
        for (int i = 0; i < Parameters.Count; i++) // for, not foreach: no enumerator allocation per step
            Parameters[i].ZeroGrad();
    }

    /// <inheritdoc/>
    public override string ToString() => $"Sequential({string.Join(", ", _layers.Select(l => l.ToString()))})";

    // Consecutive layers must agree on the width between them, where both know it.
    private static void CheckWidths(Layer<T>[] layers)
    {
        int? width = null;
        for (int i = 0; i < layers.Length; i++)
        {
            int? needs = layers[i].RequiredInputFeatures;
            if (width is int w && needs is int n && w != n)
                throw new ArgumentException($"Layer {i} ({layers[i]}) takes {n} features but the layer before it produces {w}.", nameof(layers));
            width = (width ?? needs) is int known ? layers[i].OutputFeatures(known) : null;
        }
    }

    // Below the first parameterized layer nothing needs a gradient: stop there.
    private bool LayersBelowHaveParameters(int index)
    {
        for (int j = 0; j < index; j++)
        {
            if (_layers[j].Parameters.Count > 0)
                return true;
        }
        return false;
    }
}
