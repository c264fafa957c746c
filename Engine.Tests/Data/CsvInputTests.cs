using System.IO.Compression;

namespace Engine.Tests.Data;

/// <summary>Well-formed inputs in their less common spellings load correctly.</summary>
public sealed class CsvInputTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    internal static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gz = new GZipStream(memory, CompressionLevel.Optimal))
            gz.Write(bytes);
        return memory.ToArray();
    }

    private static void AssertSimple(Dataset data)
    {
        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal(3, data.Count);
        Assert.Equal(new float[] { 1, 2, 3.5f, -4, 5, 6 }, data.Features.AsSpan().ToArray());
        Assert.Equal(new float[] { 0, 1, 0 }, data.Targets.AsSpan().ToArray());
        Assert.Equal(["0", "1"], data.ClassNames);
    }

    private const string Simple = "a,b,y\n1,2,0\n3.5,-4,1\n5,6,0\n";

    [Fact]
    public void Plain_file_loads() => AssertSimple(CsvDataset.Load(_temp.Write(Simple)));

    [Fact]
    public void Utf8_bom_is_skipped()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Simple)];
        AssertSimple(CsvDataset.Load(_temp.Write(bytes)));
    }

    [Fact]
    public void Crlf_line_endings_load() => AssertSimple(CsvDataset.Load(_temp.Write(Simple.Replace("\n", "\r\n", StringComparison.Ordinal))));

    [Fact]
    public void Blank_trailing_lines_are_ignored()
    {
        AssertSimple(CsvDataset.Load(_temp.Write(Simple + "\n")));
        AssertSimple(CsvDataset.Load(_temp.Write(Simple.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n\r\n")));
    }

    [Fact]
    public void Missing_final_newline_is_fine() => AssertSimple(CsvDataset.Load(_temp.Write(Simple.TrimEnd('\n'))));

    [Fact]
    public void Gzip_file_loads()
    {
        string path = _temp.Write(Gzip(Encoding.UTF8.GetBytes(Simple)), ".csv.gz");
        AssertSimple(CsvDataset.Load(path));
    }

    [Fact]
    public void Gzip_is_detected_by_content_not_name()
    {
        string path = _temp.Write(Gzip(Encoding.UTF8.GetBytes(Simple)), ".csv");
        AssertSimple(CsvDataset.Load(path));
    }

    [Fact]
    public void Quoted_fields_with_commas_and_newlines_load_and_later_lines_stay_right()
    {
        string text = "a,\"b, the second\",y\n1,\"2\",\"big, red\"\n3,4,\"small\nand blue\"\n5,\"6\",\"say \"\"hi\"\"\"\n7,8,big\n";
        var data = CsvDataset.Load(_temp.Write(text));
        Assert.Equal(["a", "b, the second"], data.FeatureNames);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, data.Features.AsSpan().ToArray());
        Assert.Equal(["big", "big, red", "say \"hi\"", "small\nand blue"], data.ClassNames);
        Assert.Equal(new float[] { 1, 3, 2, 0 }, data.Targets.AsSpan().ToArray());

        // the quoted newline makes row 3 span lines 3-4, so the bad row below is on line 7
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(_temp.Write(text + "9,x,big\n")));
        Assert.Equal(7, e.Line);
        Assert.Equal("b, the second", e.Column);
    }

    [Theory]
    [InlineData("1e-3")]
    [InlineData("-0.5")]
    [InlineData("+2")]
    [InlineData(".5")]
    [InlineData("-.25")]
    [InlineData("1E+2")]
    [InlineData("0.1")]
    [InlineData("3.4028234e38")]
    [InlineData("1e-50")]
    [InlineData("-0")]
    [InlineData("0000012")]
    [InlineData("12345678")]
    [InlineData("16777217")]
    [InlineData("-9999999")]
    [InlineData(" 7")]
    [InlineData("123456789012345678901234567890")]
    public void Number_spellings_parse_as_float_Parse_does(string value)
    {
        var data = CsvDataset.Load(_temp.Write($"a,b,y\n{value},1,0\n2,{value},1\n"));
        float expected = float.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(data.Features[0, 0]));
        Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(data.Features[1, 1]));
    }

    [Fact]
    public void Text_labels_with_spaces_are_classes()
    {
        var data = CsvDataset.Load(_temp.Write("x,species\n1,Iris setosa\n2,Iris virginica\n3,Iris setosa\n4, Iris setosa\n"));
        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal([" Iris setosa", "Iris setosa", "Iris virginica"], data.ClassNames);
        Assert.Equal(new float[] { 1, 2, 1, 0 }, data.Targets.AsSpan().ToArray());
    }

    [Fact]
    public void Given_class_names_fix_the_indices()
    {
        var data = CsvDataset.Load(_temp.Write("x,y\n1,dog\n2,cat\n3,dog\n"), new CsvLoadOptions { ClassNames = ["dog", "cat", "cow"] });
        Assert.Equal(new float[] { 0, 1, 0 }, data.Targets.AsSpan().ToArray());
        Assert.Equal(3, data.ClassCount);
    }

    [Fact]
    public void Target_and_features_by_name_and_index()
    {
        string path = _temp.Write("label,p1,p2\n1,10,20\n0,30,40\n1,50,60\n");
        var byName = CsvDataset.Load(path, new CsvLoadOptions { Target = "label", Features = ["p2", "p1"] });
        Assert.Equal(["p2", "p1"], byName.FeatureNames);
        Assert.Equal(new float[] { 20, 10, 40, 30, 60, 50 }, byName.Features.AsSpan().ToArray());
        Assert.Equal(new float[] { 1, 0, 1 }, byName.Targets.AsSpan().ToArray());
        var byIndex = CsvDataset.Load(path, new CsvLoadOptions { TargetIndex = 0 });
        Assert.Equal(byName.Targets.AsSpan().ToArray(), byIndex.Targets.AsSpan().ToArray());
        Assert.Equal(["p1", "p2"], byIndex.FeatureNames);
        var features = CsvDataset.LoadFeatures(path, ["p1"]);
        Assert.Equal(new float[] { 10, 30, 50 }, features.AsSpan().ToArray());
    }

    [Fact]
    public void Regression_is_detected_from_fractional_or_many_targets()
    {
        var fractional = CsvDataset.Load(_temp.Write("x,y\n1,0.5\n2,1\n3,2\n"));
        Assert.Equal(TaskKind.Regression, fractional.Task);
        Assert.Equal(new float[] { 0.5f, 1, 2 }, fractional.Targets.AsSpan().ToArray());
        string many = "x,y\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i},{i * 3}\n"));
        Assert.Equal(TaskKind.Regression, CsvDataset.Load(_temp.Write(many)).Task);
    }

    [Fact]
    public void Numeric_labels_are_sorted_as_numbers_and_compared_as_numbers()
    {
        var data = CsvDataset.Load(_temp.Write("x,y\n1,10\n2,9\n3,10.0\n4,2\n"));
        Assert.Equal(["2", "9", "10"], data.ClassNames);
        Assert.Equal(new float[] { 2, 1, 2, 0 }, data.Targets.AsSpan().ToArray());
    }

    [Fact]
    public void Many_rows_grow_the_buffer()
    {
        var text = new StringBuilder("a,b,c,y\n");
        for (int i = 0; i < 5000; i++)
            text.Append(CultureInfo.InvariantCulture, $"{i},{-i},{i * 0.25},{i % 3}\n");
        var data = CsvDataset.Load(_temp.Write(text.ToString()));
        Assert.Equal(5000, data.Count);
        Assert.Equal(4999 * 0.25f, data.Features[4999, 2]);
        Assert.Equal(-4999f, data.Features[4999, 1]);
        Assert.Equal(4999 % 3, data.Targets[4999, 0]);
    }
}
