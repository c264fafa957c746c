namespace Engine;

/// <summary>Argument checks for sizes and shapes, with messages that name the argument and, for shapes, both shapes.</summary>
public static class Check
{
    /// <summary>Throws when <paramref name="size"/> is negative.</summary>
    public static void NonNegative(int size, string name)
    {
        if (size < 0)
            throw new ArgumentOutOfRangeException(name, size, $"{name} must be non-negative, got {size}.");
    }

    /// <summary>Throws when <paramref name="size"/> is not positive.</summary>
    public static void Positive(int size, string name)
    {
        if (size <= 0)
            throw new ArgumentOutOfRangeException(name, size, $"{name} must be positive, got {size}.");
    }

    /// <summary>Throws unless both matrices have the same shape.</summary>
    public static void SameShape<T>(Matrix<T> a, Matrix<T> b, string nameA, string nameB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Rows != b.Rows || a.Cols != b.Cols)
            throw new ArgumentException($"Shape mismatch: {nameA} is {a.ShapeString} but {nameB} is {b.ShapeString}.", nameB);
    }

    /// <summary>Throws unless <paramref name="m"/> has <paramref name="cols"/> columns.</summary>
    public static void Columns<T>(Matrix<T> m, int cols, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m.Cols != cols)
            throw new ArgumentException($"Shape mismatch: {name} is {m.ShapeString} but {cols} columns were expected.", name);
    }

    /// <summary>Throws unless a span is at least <paramref name="needed"/> long.</summary>
    public static void Length(int length, long needed, string name)
    {
        if (length < needed)
            throw new ArgumentException($"{name} has {length} elements but {needed} are needed.", name);
    }
}
