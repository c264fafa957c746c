namespace Engine.Tests.Data;

/// <summary>
/// A bad value is named by its own column wherever the target sits: the reader keeps features and the target apart,
/// so a feature's index among the features is not its index in the header once the target is not the last column.
/// </summary>
public sealed class TargetPositionErrorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("y,a,b\n0,1,2\n1,3,x\n", "y", 3, "b")]          // target first: the bad feature is the second
    [InlineData("y,a,b\n0,1,2\n1,x,3\n", "y", 3, "a")]
    [InlineData("a,y,b\n1,0,2\n1,1,zz\n", "y", 3, "b")]         // target in the middle
    [InlineData("a,y,b\n1,0,2\n1.5.2,1,3\n", "y", 3, "a")]
    [InlineData("y,a,b\n0,\"1\",2\n1,3,\"x\"\n", "y", 3, "b")]  // quoted records go through CsvHelper's fields
    [InlineData("y,a,b\n0,1,2\n,3,4\n", "y", 3, "y")]           // an empty target names the target
    [InlineData("a,b,y,c\n1,2,0,3\n4,5,1,1e39\n", "y", 3, "c")] // a feature after the target
    public void TheErrorNamesTheBadValuesColumn(string text, string target, long line, string column)
    {
        string path = _temp.Write(text);
        foreach (bool pipelined in new[] { false, true })
        {
            var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path, new CsvLoadOptions { Target = target }, pipelined));
            Assert.Equal((line, column), (e.Line, e.Column));
            Assert.Contains($"column '{column}'", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ASubsetOfFeaturesInAnotherOrderIsNamedRight()
    {
        string path = _temp.Write("a,b,y,c\n1,2,0,3\n4,5,1,oops\n");
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path, new CsvLoadOptions { Target = "y", Features = ["c", "a"] }));
        Assert.Equal((3L, "c"), (e.Line, e.Column));
        // b is not read: its bad value is no error
        var ok = CsvDataset.Load(_temp.Write("a,b,y,c\n1,2,0,3\n4,zz,1,5\n"), new CsvLoadOptions { Target = "y", Features = ["c", "a"] });
        Assert.Equal(["c", "a"], ok.FeatureNames);
        Assert.Equal([3f, 1f, 5f, 4f], ok.Features.AsSpan().ToArray());
    }

    [Fact]
    public void ATableWithANumericOverrideNamesTheColumnToo()
    {
        string path = _temp.Write("y,a,b\n0,1,2\n1,3,x\n2,4,5\n");
        var e = Assert.Throws<DataFormatException>(() => DataTable.ReadCsv(path, new TableOptions { Target = "y", Numeric = ["a", "b"] }));
        Assert.Equal((3L, "b"), (e.Line, e.Column));
    }

    [Fact]
    public void ValuesLandInTheirColumnsWhenTheTargetIsFirst()
    {
        var d = CsvDataset.Load(_temp.Write("y,a,b\ncat,1,2\ndog,3,4\ncat,5,6\n"), new CsvLoadOptions { Target = "y" });
        Assert.Equal(["a", "b"], d.FeatureNames);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], d.Features.AsSpan().ToArray());
        Assert.Equal(["cat", "dog"], d.ClassNames!);
        Assert.Equal([0f, 1f, 0f], d.Targets.AsSpan().ToArray());
    }
}
