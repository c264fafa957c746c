namespace Engine.Tests.Data;

/// <summary>
/// <see cref="CsvRecordReader.ScanQuotes"/> on records worked out by hand: which fields are written in quotes, and how
/// many line breaks sit inside quotes (a CRLF is one, a lone CR or LF one each; an escaped quote does not close).
/// </summary>
public sealed class CsvQuoteScanTests
{
    private static (int Breaks, bool[] Quoted) Scan(string raw, int fields)
    {
        var quoted = new bool[fields];
        Array.Fill(quoted, true); // whatever an earlier record left: every mark is set anew
        int breaks = CsvRecordReader.ScanQuotes(raw, quoted);
        return (breaks, quoted);
    }

    [Theory]
    [InlineData("a,b,c", 0, new[] { false, false, false })]
    [InlineData("\"a\",b,\"c\"", 0, new[] { true, false, true })]
    [InlineData("a,\"x\"\"y\",z", 0, new[] { false, true, false })]      // an escaped quote inside a quoted field
    [InlineData("\"a,b\",c,d", 0, new[] { true, false, false })]          // a comma inside quotes is not a separator
    [InlineData("a\"b,\"c\",d", 0, new[] { false, true, false })]         // a quote inside an unquoted field opens nothing
    [InlineData(",\"\",", 0, new[] { false, true, false })]               // an empty quoted field
    [InlineData("\"1\n2\",x,0", 1, new[] { true, false, false })]
    [InlineData("\"1\r\n2\",x,0", 1, new[] { true, false, false })]       // CRLF: one line break
    [InlineData("\"1\r\r\n2\",x,0", 2, new[] { true, false, false })]     // a lone CR, then a CRLF
    [InlineData("\"1\n\r2\",x,0", 2, new[] { true, false, false })]       // LF then CR: two
    [InlineData("\"q\"\"\n\",x,0", 1, new[] { true, false, false })]      // an escaped quote right before a line break
    [InlineData("\"q\"\"\r\n\r\n\",x,0", 2, new[] { true, false, false })]
    [InlineData("\"\"\"\",\"\n\",0", 1, new[] { true, true, false })]     // a field that is one escaped quote, then a break
    [InlineData("a,\"b\nc\nd", 2, new[] { false, true, false })]          // an unclosed quote runs to the end
    [InlineData("a,b\nc,d", 0, new[] { false, false, false })]            // breaks outside quotes are not counted
    public void QuotedFieldsAndTheirLineBreaksAreFound(string raw, int breaks, bool[] quoted)
    {
        var (n, marks) = Scan(raw, quoted.Length);
        Assert.Equal(breaks, n);
        Assert.Equal(quoted, marks);
    }

    [Fact]
    public void MarksGoAsFarAsTheSpanReaches()
    {
        var (n, marks) = Scan("\"a\",\"b\",\"c\n\"", 2);
        Assert.Equal(1, n);
        Assert.Equal([true, true], marks);
        Assert.Equal(1, CsvRecordReader.ScanQuotes("\"a\",\"b\",\"c\n\"", []));
    }
}
