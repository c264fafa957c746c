namespace Engine.Layers;

/// <summary>
/// One step of a <see cref="Sequential{T}"/>: a forward pass that caches what its backward pass needs,
/// and a backward pass that accumulates (+=) into parameter gradients and returns the input gradient.
/// A layer owns its output and gradient buffers and reuses them across batches.
/// </summary>
public abstract class Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The layer's kind, e.g. "Dense" or "ReLU".</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Computes the output for a batch (rows = samples). The returned matrix is owned by the layer and
    /// is overwritten by the next call; <paramref name="input"/> must stay unchanged until Backward.
    /// </summary>
    public abstract Matrix<T> Forward(Matrix<T> input);

    /// <summary>
    /// Given dL/d(output) of the last Forward, adds the parameter gradients into <see cref="Parameter{T}.Grad"/>
    /// and returns dL/d(input), or null when <paramref name="computeInputGrad"/> is false (the first layer).
    /// </summary>
    public abstract Matrix<T>? Backward(Matrix<T> gradOutput, bool computeInputGrad = true);

    /// <summary>The learnable parameters, in a fixed order (weight before bias).</summary>
    public virtual IReadOnlyList<Parameter<T>> Parameters => Array.Empty<Parameter<T>>();

    /// <summary>Output features for <paramref name="inputFeatures"/> input features.</summary>
    public virtual int OutputFeatures(int inputFeatures) => inputFeatures;

    /// <summary>
    /// The number of input features the layer requires (Dense: in features; a per-unit PReLU: its units),
    /// or null when it takes any width. <see cref="Sequential{T}"/> and the model files check it.
    /// </summary>
    public virtual int? RequiredInputFeatures => null;

    /// <summary>
    /// What the layer is, as files store it: type name and settings, not weights. The default is the type
    /// name alone, right for layers without settings; <see cref="LayerRegistry"/> maps it back to a layer.
    /// </summary>
    public virtual LayerSpec Spec => new(Name);

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>Throws unless gradOutput matches the cached output's shape.</summary>
    protected static void CheckGradient(Matrix<T>? output, Matrix<T> gradOutput, string layer)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (output is null)
            throw new InvalidOperationException($"{layer}.Backward was called before Forward.");
        Check.SameShape(output, gradOutput, "output", nameof(gradOutput));
    }
}
