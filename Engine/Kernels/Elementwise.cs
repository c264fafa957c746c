using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels;

/// <summary>
/// An element-wise function of two inputs, written once for a scalar, a Vector256 and a Vector512 (the
/// pattern TensorPrimitives uses internally). Run by <see cref="Elementwise.Apply{T, TOp}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, TOp)"/>.
/// </summary>
public interface IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>f(x, y) on one element.</summary>
    T Invoke(T x, T y);
    /// <summary>f(x, y) on 256 bits of elements.</summary>
    Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);
    /// <summary>f(x, y) on 512 bits of elements.</summary>
    Vector512<T> Invoke(Vector512<T> x, Vector512<T> y);
}

/// <summary>An element-wise function of three inputs; see <see cref="IBinaryOperator{T}"/>.</summary>
public interface ITernaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>f(x, y, z) on one element.</summary>
    T Invoke(T x, T y, T z);
    /// <summary>f(x, y, z) on 256 bits of elements.</summary>
    Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> z);
    /// <summary>f(x, y, z) on 512 bits of elements.</summary>
    Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> z);
}

/// <summary>
/// The one generic loop for fused element-wise kernels that TensorPrimitives lacks: Vector512 while it
/// fits, then Vector256, then a scalar tail. The JIT specializes it per operator struct.
/// </summary>
public static class Elementwise
{
    /// <summary>dst[i] = op(x[i], y[i]).</summary>
    public static void Apply<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dst, TOp op)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator<T>
    {
        int n = dst.Length;
        CheckLengths(n, x.Length, y.Length, n);
        ref T px = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref T py = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
        ref T pd = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(dst);
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref px, (nuint)i), Vector512.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref pd, i) = op.Invoke(Unsafe.Add(ref px, i), Unsafe.Add(ref py, i));
    }

    /// <summary>dst[i] = op(x[i], y[i], z[i]).</summary>
    public static void Apply<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> dst, TOp op)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, ITernaryOperator<T>
    {
        int n = dst.Length;
        CheckLengths(n, x.Length, y.Length, z.Length);
        ref T px = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref T py = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
        ref T pz = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(z);
        ref T pd = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(dst);
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref px, (nuint)i), Vector512.LoadUnsafe(ref py, (nuint)i), Vector512.LoadUnsafe(ref pz, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref py, (nuint)i), Vector256.LoadUnsafe(ref pz, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref pd, i) = op.Invoke(Unsafe.Add(ref px, i), Unsafe.Add(ref py, i), Unsafe.Add(ref pz, i));
    }

    private static void CheckLengths(int n, int a, int b, int c)
    {
        if (a != n || b != n || c != n)
            throw new ArgumentException($"Element-wise operands must have equal lengths; got {a}, {b}, {c} for a destination of {n}.");
    }
}
