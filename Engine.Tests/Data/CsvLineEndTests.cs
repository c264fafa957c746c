namespace Engine.Tests.Data;

/// <summary>
/// A record's line end (LF, CRLF or a lone CR) is not part of its last field: the last column's text, as a class
/// name or a categorical level, is the same in all three spellings of one file and has no line-end character.
/// </summary>
public sealed class CsvLineEndTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void TheLastColumnsTextHasNoLineEnd(string end)
    {
        string classes = _temp.Write(string.Join(end, "x,y", "1,cat", "2,dog", "3,cat") + end);
        Assert.Equal(["cat", "dog"], DataTable.ReadCsv(classes).ClassNames!);
        Assert.Equal(["cat", "dog"], CsvDataset.Load(classes).ClassNames!);

        string levels = _temp.Write(string.Join(end, "y,c", "0,cat", "1,dog", "0,cat", "1,cow") + end);
        var table = DataTable.ReadCsv(levels, new TableOptions { Target = "y" });
        Assert.Equal(["cat", "cow", "dog"], table.Levels.Single());
    }
}
