namespace Engine.Tests.Data;

/// <summary>Every kind of bad CSV is refused with a <see cref="DataFormatException"/> naming the file, line and column.</summary>
public sealed class CsvErrorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private DataFormatException Refused(string text, CsvLoadOptions? options = null) => Refused(Encoding.UTF8.GetBytes(text), options);

    private DataFormatException Refused(byte[] bytes, CsvLoadOptions? options = null)
    {
        string path = _temp.Write(bytes);
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path, options));
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        // the same error, word for word, whether decoding and converting run on other threads or not
        foreach (bool pipelined in new[] { false, true })
            Assert.Equal(e.Message, Assert.Throws<DataFormatException>(() => CsvDataset.Load(path, options, pipelined)).Message);
        string gz = _temp.Write(CsvInputTests.Gzip(bytes), ".csv.gz");
        Assert.Equal(e.Message.Replace(path, gz, StringComparison.Ordinal), Assert.Throws<DataFormatException>(() => CsvDataset.Load(gz, options)).Message);
        return e;
    }

    private static void AssertAt(DataFormatException e, long? line, string? column)
    {
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        if (line is long l)
            Assert.Contains($"line {l}", e.Message, StringComparison.Ordinal);
        if (column is not null)
            Assert.Contains($"column '{column}'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,b,y\n1,2,0\n1,x,1\n", 3, "b")]
    [InlineData("a,b,y\n1,2,0\n1,2,0\n1.5.2,2,1\n", 4, "a")]
    [InlineData("a,b,y\n1,2,0\n3,4,1\n1,2 3,1\n", 4, "b")]
    [InlineData("a,b,y\n1,,0\n1,2,1\n", 2, "b")]
    [InlineData("a,b,y\n1,2,0\n,2,1\n", 3, "a")]
    [InlineData("a,b,y\n1,2,0\n1,2,\n", 3, "y")]
    [InlineData("a,b,y\r\n1,2,0\r\n1,x,1\r\n", 3, "b")]
    [InlineData("a,b,y\n1,2,0\n\n1,x,1\n", 4, "b")]
    [InlineData("a,b,y\n1,\"2\",0\n1,\"x\",1\n", 3, "b")]
    [InlineData("a,b,y\n1,2,\"cat\nmouse\"\n1,x,dog\n", 4, "b")]
    public void Bad_value_names_line_and_column(string text, long line, string column)
    {
        AssertAt(Refused(text), line, column);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("Infinity")]
    [InlineData("inf")]
    [InlineData("-inf")]
    [InlineData("1e40")]
    [InlineData("-1e39")]
    public void Non_finite_value_is_refused(string value)
    {
        var e = Refused($"a,b,y\n1,2,0\n3,{value},1\n");
        AssertAt(e, 3, "b");
        Assert.Contains(value, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_finite_regression_target_is_refused()
    {
        AssertAt(Refused("a,y\n1,0.5\n2,inf\n", new CsvLoadOptions { Task = TaskKind.Regression }), 3, "y");
    }

    [Theory]
    [InlineData("a,b,y\n1,2,0\n1,2,3,1\n", 3)]
    [InlineData("a,b,y\n1,2,0\n1,2\n", 3)]
    [InlineData("a,b,y\n1,2,0\n3,4,1\n5\n", 4)]
    public void Wrong_field_count_names_line(string text, long line)
    {
        var e = Refused(text);
        AssertAt(e, line, null);
        Assert.Contains("fields", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_file_is_refused()
    {
        AssertAt(Refused(""), 1, null);
        AssertAt(Refused([0xEF, 0xBB, 0xBF]), 1, null);
    }

    [Fact]
    public void Header_without_rows_is_refused()
    {
        var e = Refused("a,b,y\n");
        AssertAt(e, 2, null);
        Assert.Contains("no rows", e.Message, StringComparison.Ordinal);
        AssertAt(Refused("a,b,y"), 2, null);
    }

    [Fact]
    public void Unknown_target_column_is_refused()
    {
        var e = Refused("a,b,y\n1,2,0\n3,4,1\n", new CsvLoadOptions { Target = "label" });
        AssertAt(e, 1, "label");
        Assert.Contains("a, b, y", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_feature_column_is_refused()
    {
        AssertAt(Refused("a,b,y\n1,2,0\n3,4,1\n", new CsvLoadOptions { Features = ["a", "c"] }), 1, "c");
    }

    [Fact]
    public void Target_listed_as_feature_is_refused()
    {
        AssertAt(Refused("a,b,y\n1,2,0\n3,4,1\n", new CsvLoadOptions { Target = "y", Features = ["a", "y"] }), 1, "y");
    }

    [Fact]
    public void Duplicated_header_column_is_refused()
    {
        var e = Refused("a,b,a,y\n1,2,3,0\n3,4,5,1\n");
        AssertAt(e, 1, "a");
        Assert.Contains("twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicated_option_column_is_refused()
    {
        var e = Refused("a,b,y\n1,2,0\n3,4,1\n", new CsvLoadOptions { Features = ["b", "a", "b"] });
        AssertAt(e, 1, "b");
        Assert.Contains("twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Single_class_is_refused()
    {
        var e = Refused("a,y\n1,cat\n2,cat\n3,cat\n");
        AssertAt(e, null, "y");
        Assert.Contains("cat", e.Message, StringComparison.Ordinal);
        AssertAt(Refused("a,y\n1,0\n2,0\n"), null, "y");
    }

    [Fact]
    public void Unknown_class_label_is_refused_when_classes_are_given()
    {
        var options = new CsvLoadOptions { ClassNames = ["cat", "dog"] };
        var e = Refused("a,y\n1,cat\n2,dog\n3,cow\n4,cat\n", options);
        AssertAt(e, 4, "y");
        Assert.Contains("'cow'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,b,y\n1,2,0\n1,2\"3,1\n", 3)]
    [InlineData("a,b,y\n1,2,0\n1,\"2\"3,1\n3,4,1\n", 3)]
    [InlineData("a,b,y\n1,2,0\n3,4,1\n1,\"2,1\n", 4)]
    [InlineData("a,\"b\"x,y\n1,2,0\n", 1)]
    public void Badly_quoted_field_is_refused(string text, long line)
    {
        var e = Refused(text);
        Assert.Equal(line, e.Line);
        Assert.Contains($"line {line}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_refused_with_its_line_and_column()
    {
        byte[] bytes = [.. "a,b,y\n1,2,0\n3,4"u8, 0xFF, 0xFE, .. ",1\n5,6,0\n"u8];
        var e = Refused(bytes);
        AssertAt(e, 3, "b");
        Assert.Contains("UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_in_a_gzip_file_is_refused()
    {
        byte[] bytes = [.. "a,b,y\n1,2,0\n3,4,1\n5,6,"u8, 0xC3, 0x28, .. "\n"u8];
        string path = _temp.Write(CsvInputTests.Gzip(bytes), ".csv.gz");
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path));
        AssertAt(e, 4, "y");
    }

    [Fact]
    public void Corrupt_gzip_is_refused()
    {
        byte[] gz = CsvInputTests.Gzip(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("1,2,0\n", 1000))));
        gz[gz.Length / 2] ^= 0x5A;
        gz[(gz.Length / 2) + 1] ^= 0xA5;
        string path = _temp.Write(gz, ".csv.gz");
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void First_bad_row_wins_over_a_later_structural_error()
    {
        var body = new System.Text.StringBuilder("a,b,y\n");
        for (int i = 0; i < 2000; i++)
            body.Append(i == 1500 ? "1,x,0\n" : "1,2,0\n");
        body.Append("1,2,0,4\n");
        AssertAt(Refused(body.ToString()), 1502, "b");
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        string path = Path.Combine(_temp.Path, "nope.csv");
        var e = Assert.Throws<FileNotFoundException>(() => CsvDataset.Load(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Equal(path, e.FileName);
        Assert.Throws<FileNotFoundException>(() => CsvDataset.LoadFeatures(path, ["a"]));
    }

    [Fact]
    public void LoadFeatures_refuses_bad_values_too()
    {
        string path = _temp.Write("a,b\n1,2\n3,oops\n");
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.LoadFeatures(path, ["a", "b"]));
        AssertAt(e, 3, "b");
    }
}
