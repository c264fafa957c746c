namespace Engine.Layers;

/// <summary>
/// A learnable tensor and its gradient, same shape. <see cref="Grad"/> is accumulated by Backward and
/// cleared by <see cref="ZeroGrad"/>. <see cref="WeightDecay"/> says whether optimizers apply weight
/// decay to it (weights yes; biases and PReLU slopes no, as He et al. 2015 advise for the slopes).
/// </summary>
public sealed class Parameter<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a zero matrix parameter of the given shape (exported as (rows, cols)).</summary>
    public Parameter(string name, int rows, int cols, bool weightDecay)
        : this(name, rows, cols, [rows, cols], weightDecay)
    {
    }

    /// <summary>Creates a zero vector parameter of <paramref name="length"/> elements, stored as (1, length) and exported as (length).</summary>
    public Parameter(string name, int length, bool weightDecay)
        : this(name, 1, length, [length], weightDecay)
    {
    }

    private Parameter(string name, int rows, int cols, long[] shape, bool weightDecay)
    {
        Name = name;
        Value = new Matrix<T>(rows, cols);
        Grad = new Matrix<T>(rows, cols);
        Shape = Array.AsReadOnly(shape);
        WeightDecay = weightDecay;
    }

    /// <summary>"weight", "bias", as in a PyTorch state_dict.</summary>
    public string Name { get; }

    /// <summary>
    /// The shape PyTorch gives this tensor in a state_dict, as exported: nn.Linear's weight (out, in), a bias
    /// or nn.PReLU's weight (n). The values are row-major either way.
    /// </summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The values.</summary>
    public Matrix<T> Value { get; }

    /// <summary>dL/dValue, accumulated.</summary>
    public Matrix<T> Grad { get; }

    /// <summary>Whether weight decay applies.</summary>
    public bool WeightDecay { get; set; }

    /// <summary>Number of elements.</summary>
    public int Length => Value.Length;

    /// <summary>Grad = 0.</summary>
    public void ZeroGrad() => Grad.Clear();
}
