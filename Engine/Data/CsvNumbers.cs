using System.Runtime.CompilerServices;

namespace Engine.Data;

/// <summary>
/// Parsing one field as a float32 feature value. Plain integers of up to 7 digits (every pixel of an image CSV)
/// take a fast path that is exact in float32; everything else goes through float.Parse, which rounds correctly.
/// <see cref="TryParse"/> says what is wrong without throwing (the place where a column-kind inference or a
/// missing-value marker would look); <see cref="Parse"/> turns that into the loader's error message.
/// </summary>
internal static class CsvNumbers
{
    /// <summary>Why a field is not a feature value.</summary>
    internal enum Problem
    {
        /// <summary>The field is a finite float32.</summary>
        None,
        /// <summary>The field is empty.</summary>
        Empty,
        /// <summary>The field is not a number at all.</summary>
        NotANumber,
        /// <summary>The field is NaN.</summary>
        NaN,
        /// <summary>A finite number beyond float32's range.</summary>
        OutOfRange,
        /// <summary>An infinity.</summary>
        Infinite,
    }

    /// <summary>Parses <paramref name="text"/>, or throws the loader's error naming the file, line and column.</summary>
    public static float Parse(string path, long line, string column, ReadOnlySpan<char> text)
    {
        var problem = TryParse(text, out float value);
        return problem == Problem.None ? value : throw Error(path, line, column, text, problem);
    }

    /// <summary>Parses <paramref name="text"/>; anything but <see cref="Problem.None"/> says why it is not a value.</summary>
    public static Problem TryParse(ReadOnlySpan<char> text, out float value)
    {
        if (text.IsEmpty)
        {
            value = 0;
            return Problem.Empty;
        }
        int end = 0;
        if (TryReadSmallInteger(text, ref end, out value) && end == text.Length)
            return Problem.None;
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            return Problem.NotANumber;
        if (float.IsFinite(value))
            return Problem.None;
        if (float.IsNaN(value))
            return Problem.NaN;
        // A number written with digits (1e39, 1e400) is out of range however large; "Infinity" and "∞" are infinities.
        return text.IndexOfAnyInRange('0', '9') >= 0 ? Problem.OutOfRange : Problem.Infinite;
    }

    /// <summary>
    /// The fast path: reads an optional '-' and then digits from <paramref name="text"/> at <paramref name="position"/>,
    /// leaving <paramref name="position"/> after the last digit; true when there were 1 to 7 digits, then
    /// <paramref name="value"/> is the integer (exact in float32; "-0" is −0f, as float.Parse gives). The caller
    /// checks that the field ends there (the record splitter fuses this with finding the next comma).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadSmallInteger(ReadOnlySpan<char> text, ref int position, out float value)
    {
        int pos = position, length = text.Length;
        bool negative = pos < length && text[pos] == '-';
        if (negative)
            pos++;
        int digitsStart = pos, v = 0;
        while (pos < length)
        {
            int digit = text[pos] - '0';
            if ((uint)digit > 9)
                break;
            v = unchecked((v * 10) + digit);
            pos++;
        }
        position = pos;
        bool plain = pos - digitsStart is >= 1 and <= 7;
        value = plain ? (negative ? -(float)v : v) : 0;
        return plain;
    }

    /// <summary>The loader's error for a field that is not a value, naming the file, line and column.</summary>
    public static DataFormatException Error(string path, long line, string column, ReadOnlySpan<char> text, Problem problem) => new(path, line, column, problem switch
    {
        Problem.Empty => "the field is empty.",
        Problem.NotANumber => $"'{DataFormatException.Excerpt(text)}' is not a number.",
        Problem.NaN => $"'{DataFormatException.Excerpt(text)}': NaN is not allowed.",
        Problem.OutOfRange => $"'{DataFormatException.Excerpt(text)}': it is outside the float32 range.",
        _ => $"'{DataFormatException.Excerpt(text)}': infinity is not allowed.",
    });
}
