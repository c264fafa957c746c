namespace Engine.Tests.Data;

/// <summary>
/// The loader's number parsing field by field: the fast path for small integers (an optional '-', then 1 to 7 digits,
/// read from a position inside a record) against values worked out by hand, and every field against float.Parse,
/// the path the fast one must agree with bit for bit.
/// </summary>
public sealed class CsvNumbersParsingTests
{
    [Theory]
    [InlineData("0", 0, true, 1, 0f)]
    [InlineData("5", 0, true, 1, 5f)]
    [InlineData("9", 0, true, 1, 9f)]              // the largest digit
    [InlineData("90", 0, true, 2, 90f)]
    [InlineData("1234567", 0, true, 7, 1234567f)]  // seven digits: the longest fast field
    [InlineData("9999999", 0, true, 7, 9999999f)]
    [InlineData("0000007", 0, true, 7, 7f)]
    [InlineData("-5", 0, true, 2, -5f)]
    [InlineData("-9999999", 0, true, 8, -9999999f)] // the sign is not a digit
    [InlineData("12a", 0, true, 2, 12f)]           // stops at the first non-digit; the caller checks the field ends there
    [InlineData("1.5", 0, true, 1, 1f)]
    [InlineData("7/", 0, true, 1, 7f)]             // '/' and ':' sit either side of the digits in ASCII
    [InlineData("7:", 0, true, 1, 7f)]
    [InlineData("x,34,5", 2, true, 4, 34f)]        // read from inside a record, up to the comma
    [InlineData("x,34,5", 5, true, 6, 5f)]
    [InlineData("1,-7", 2, true, 4, -7f)]
    public void ASmallIntegerIsReadUpToItsLastDigit(string text, int start, bool plain, int end, float value)
    {
        int position = start;
        Assert.Equal(plain, CsvNumbers.TryReadSmallInteger(text, ref position, out float read));
        Assert.Equal(end, position);
        Assert.Equal(value, read);
    }

    [Theory]
    [InlineData("", 0, 0)]
    [InlineData("-", 0, 1)]            // a sign and no digit
    [InlineData("+5", 0, 0)]           // only '-' is read here; float.Parse takes the rest
    [InlineData(".5", 0, 0)]
    [InlineData("12345678", 0, 8)]     // eight digits: not exact in float32 in general
    [InlineData("-12345678", 0, 9)]
    [InlineData("1,2", 1, 1)]          // a comma where the field starts: an empty field
    [InlineData("1,2", 3, 3)]          // at the end of the record
    public void AnythingButOneToSevenDigitsIsNotASmallInteger(string text, int start, int end)
    {
        int position = start;
        Assert.False(CsvNumbers.TryReadSmallInteger(text, ref position, out _));
        Assert.Equal(end, position);
    }

    [Fact]
    public void MinusZeroIsNegativeZeroOnBothPaths()
    {
        int position = 0;
        Assert.True(CsvNumbers.TryReadSmallInteger("-0", ref position, out float fast));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(fast));
        Assert.Equal(CsvNumbers.Problem.None, CsvNumbers.TryParse("-0", out float value));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(value));
    }

    [Fact]
    public void EveryIntegerSpellingAgreesWithFloatParse()
    {
        // both sides of the seven-digit boundary, every digit in every place, leading zeros, and 2^24 + 1, the first
        // integer float32 cannot hold (it must round to even, as float.Parse does, not truncate)
        var fields = new List<string> { "16777217", "-16777217", "33554435", "0000000", "00000000", "-0000001" };
        for (int digits = 1; digits <= 9; digits++)
        {
            for (int d = 0; d <= 9; d++)
            {
                string same = new((char)('0' + d), digits);
                fields.Add(same);
                fields.Add("-" + same);
                fields.Add(same + "5");
            }
        }
        var rng = new Random(5);
        for (int i = 0; i < 2000; i++)
            fields.Add(rng.Next(-99_999_999, 100_000_000).ToString(CultureInfo.InvariantCulture));
        foreach (string field in fields)
        {
            float expected = float.Parse(field, NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.Equal(CsvNumbers.Problem.None, CsvNumbers.TryParse(field, out float value));
            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(value), $"'{field}': {value:R}, expected {expected:R}");
        }
    }

    [Theory]
    [InlineData("", nameof(CsvNumbers.Problem.Empty))]
    [InlineData("abc", nameof(CsvNumbers.Problem.NotANumber))]
    [InlineData("1,5", nameof(CsvNumbers.Problem.NotANumber))]
    [InlineData("12a", nameof(CsvNumbers.Problem.NotANumber))]
    [InlineData("-", nameof(CsvNumbers.Problem.NotANumber))]
    [InlineData("NaN", nameof(CsvNumbers.Problem.NaN))]
    [InlineData("1e39", nameof(CsvNumbers.Problem.OutOfRange))]
    [InlineData("-1e39", nameof(CsvNumbers.Problem.OutOfRange))]
    [InlineData("3.5e38", nameof(CsvNumbers.Problem.OutOfRange))]
    [InlineData("Infinity", nameof(CsvNumbers.Problem.Infinite))]
    [InlineData("-Infinity", nameof(CsvNumbers.Problem.Infinite))]
    public void AFieldThatIsNotAValueSaysWhy(string field, string problem)
    {
        Assert.Equal(Enum.Parse<CsvNumbers.Problem>(problem), CsvNumbers.TryParse(field, out _));
    }

    [Theory]
    [InlineData("3.4028235e38", float.MaxValue)]
    [InlineData("-3.4028235e38", float.MinValue)]
    [InlineData("1e-50", 0f)]   // below float32's smallest subnormal: rounds to zero, a finite value
    [InlineData("0.1", 0.1f)]
    [InlineData("+5", 5f)]
    [InlineData("1E3", 1000f)]
    public void AFieldOutsideTheFastPathIsParsedByFloatParse(string field, float value)
    {
        Assert.Equal(CsvNumbers.Problem.None, CsvNumbers.TryParse(field, out float read));
        Assert.Equal(value, read);
    }

    [Theory]
    [InlineData("", "line 7, column 'c': the field is empty.")]
    [InlineData("x1", "line 7, column 'c': 'x1' is not a number.")]
    [InlineData("nan", "line 7, column 'c': 'nan': NaN is not allowed.")]
    [InlineData("1e40", "line 7, column 'c': '1e40': it is outside the float32 range.")]
    [InlineData("-Infinity", "line 7, column 'c': '-Infinity': infinity is not allowed.")]
    public void ParseNamesTheFileLineAndColumn(string field, string message)
    {
        var e = Assert.Throws<DataFormatException>(() => CsvNumbers.Parse("f.csv", 7, "c", field));
        Assert.Equal("f.csv: " + message, e.Message);
        Assert.Equal(7, e.Line);
        Assert.Equal("c", e.Column);
        Assert.Equal(12.5f, CsvNumbers.Parse("f.csv", 7, "c", "12.5"));
    }
}
