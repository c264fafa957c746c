using System.Runtime.Intrinsics;

namespace Engine.Kernels;

// Fused activation kernels as operator structs (see Elementwise). x: pre-activation, y: output,
// dy: upstream gradient, a: negative slope.

/// <summary>ReLU backward from the output: dx = dy · [y &gt; 0].</summary>
public readonly struct ReluBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Invoke(T y, T dy) => y > T.Zero ? dy : T.Zero;
    /// <inheritdoc/>
    public Vector256<T> Invoke(Vector256<T> y, Vector256<T> dy) => Vector256.GreaterThan(y, Vector256<T>.Zero) & dy;
    /// <inheritdoc/>
    public Vector512<T> Invoke(Vector512<T> y, Vector512<T> dy) => Vector512.GreaterThan(y, Vector512<T>.Zero) & dy;
}

/// <summary>Leaky ReLU forward: y = x for x &gt; 0, a·x otherwise.</summary>
public readonly struct LeakyReluForward<T>(T slope) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // The second operand is unused; it keeps one loop for every operator.
    /// <inheritdoc/>
    public T Invoke(T x, T unused) => x > T.Zero ? x : slope * x;
    /// <inheritdoc/>
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> unused) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), x, x * slope);
    /// <inheritdoc/>
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> unused) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), x, x * slope);
}

/// <summary>Leaky ReLU backward: dx = dy for x &gt; 0, a·dy otherwise.</summary>
public readonly struct LeakyReluBackward<T>(T slope) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Invoke(T x, T dy) => x > T.Zero ? dy : slope * dy;
    /// <inheritdoc/>
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> dy) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), dy, dy * slope);
    /// <inheritdoc/>
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> dy) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), dy, dy * slope);
}

/// <summary>PReLU forward with a slope per element: y = x for x &gt; 0, a·x otherwise.</summary>
public readonly struct PReluForward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Invoke(T x, T a) => x > T.Zero ? x : a * x;
    /// <inheritdoc/>
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> a) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), x, x * a);
    /// <inheritdoc/>
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> a) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), x, x * a);
}

/// <summary>PReLU input gradient with a slope per element: dx = dy for x &gt; 0, a·dy otherwise.</summary>
public readonly struct PReluBackward<T> : ITernaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Invoke(T x, T dy, T a) => x > T.Zero ? dy : a * dy;
    /// <inheritdoc/>
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> dy, Vector256<T> a) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), dy, dy * a);
    /// <inheritdoc/>
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> dy, Vector512<T> a) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), dy, dy * a);
}

/// <summary>PReLU slope gradient term: ∂y/∂a · dy = x·dy for x ≤ 0, else 0.</summary>
public readonly struct PReluSlopeGradient<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Invoke(T x, T dy) => x > T.Zero ? T.Zero : x * dy;
    /// <inheritdoc/>
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> dy) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), Vector256<T>.Zero, x * dy);
    /// <inheritdoc/>
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> dy) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), Vector512<T>.Zero, x * dy);
}

/// <summary>Sigmoid backward from the output: dx = dy · y · (1 − y).</summary>
public readonly struct SigmoidBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Invoke(T y, T dy) => dy * y * (T.One - y);
    /// <inheritdoc/>
    public Vector256<T> Invoke(Vector256<T> y, Vector256<T> dy) => dy * y * (Vector256<T>.One - y);
    /// <inheritdoc/>
    public Vector512<T> Invoke(Vector512<T> y, Vector512<T> dy) => dy * y * (Vector512<T>.One - y);
}

/// <summary>Tanh backward from the output: dx = dy · (1 − y²).</summary>
public readonly struct TanhBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Invoke(T y, T dy) => dy * (T.One - y * y);
    /// <inheritdoc/>
    public Vector256<T> Invoke(Vector256<T> y, Vector256<T> dy) => dy * (Vector256<T>.One - y * y);
    /// <inheritdoc/>
    public Vector512<T> Invoke(Vector512<T> y, Vector512<T> dy) => dy * (Vector512<T>.One - y * y);
}

/// <summary>
/// ELU/SELU forward from x and m = eˣ − 1: y = s·x for x &gt; 0, s·α·m otherwise (s = 1 for ELU, λ for SELU);
/// <paramref name="scaledAlpha"/> is s·α.
/// </summary>
public readonly struct ExpLinearForward<T>(T scale, T scaledAlpha) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Invoke(T x, T m) => x > T.Zero ? scale * x : scaledAlpha * m;
    /// <inheritdoc/>
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> m) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), x * scale, m * scaledAlpha);
    /// <inheritdoc/>
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> m) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), x * scale, m * scaledAlpha);
}

/// <summary>
/// ELU/SELU backward from the output: dx = s·dy for y &gt; 0, (y + s·α)·dy otherwise, since for x ≤ 0
/// d(s·α·(eˣ − 1))/dx = s·α·eˣ = y + s·α. (y &gt; 0 exactly when x &gt; 0.)
/// </summary>
public readonly struct ExpLinearBackward<T>(T scale, T scaledAlpha) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Invoke(T y, T dy) => y > T.Zero ? scale * dy : (y + scaledAlpha) * dy;
    /// <inheritdoc/>
    public Vector256<T> Invoke(Vector256<T> y, Vector256<T> dy) => Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<T>.Zero), dy * scale, (y + Vector256.Create(scaledAlpha)) * dy);
    /// <inheritdoc/>
    public Vector512<T> Invoke(Vector512<T> y, Vector512<T> dy) => Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<T>.Zero), dy * scale, (y + Vector512.Create(scaledAlpha)) * dy);
}

/// <summary>SiLU backward from x and s = σ(x): dx = dy · s · (1 + x·(1 − s)), the derivative of x·σ(x).</summary>
public readonly struct SiluBackward<T> : ITernaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Invoke(T x, T s, T dy) => dy * s * (T.One + x * (T.One - s));
    /// <inheritdoc/>
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> s, Vector256<T> dy) => dy * s * (Vector256<T>.One + x * (Vector256<T>.One - s));
    /// <inheritdoc/>
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> s, Vector512<T> dy) => dy * s * (Vector512<T>.One + x * (Vector512<T>.One - s));
}
