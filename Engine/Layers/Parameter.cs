using System.Numerics;

namespace Engine.Layers;

/// <summary>
/// A learnable tensor and its gradient, same shape. <see cref="Grad"/> is accumulated by Backward and
/// cleared by <see cref="ZeroGrad"/>. <see cref="WeightDecay"/> says whether optimizers apply weight
/// decay to it (weights yes; biases and PReLU slopes no, as He et al. 2015 advise for the slopes).
/// </summary>
public sealed class Parameter<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a zero parameter of the given shape.</summary>
    public Parameter(string name, int rows, int cols, bool weightDecay)
    {
        Name = name;
        Value = new Matrix<T>(rows, cols);
        Grad = new Matrix<T>(rows, cols);
        WeightDecay = weightDecay;
    }

    /// <summary>"weight", "bias", as in a PyTorch state_dict.</summary>
    public string Name { get; }

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
