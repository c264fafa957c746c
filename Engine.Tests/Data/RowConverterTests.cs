namespace Engine.Tests.Data;

/// <summary>
/// <see cref="RowConverter"/> through the readers: values intact when the first row misjudges the file's size, inferred
/// columns that turn to text, deferred range errors, and the same table with the converter on its own thread or not.
/// </summary>
public sealed class RowConverterTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string S(int i) => i.ToString(CultureInfo.InvariantCulture);

    private (DataTable Plain, DataTable Threaded) ReadBoth(string text, TableOptions? options = null)
    {
        string path = _temp.Write(text);
        return (DataTable.ReadCsv(path, options, pipelined: false), DataTable.ReadCsv(path, options, pipelined: true));
    }

    [Theory]
    [InlineData(true)]  // a long first row: the room guessed from it is too small, the values grow
    [InlineData(false)] // a short first row: the guess is too large, the matrix is cut to size
    public void Values_survive_a_wrong_guess_of_the_row_count(bool longFirstRow)
    {
        const int rows = 3000;
        var sb = new StringBuilder("a,b,c,y\n");
        for (int i = 0; i < rows; i++)
        {
            bool wide = (i == 0) == longFirstRow;
            string pad = wide ? "0000000000000000000000000000000000000000" : "";
            sb.Append(CultureInfo.InvariantCulture, $"{S(i)},{S(i % 7)}.5{pad},{S(-i)},{S(i % 3)}\n");
        }
        string path = _temp.Write(sb.ToString());
        foreach (bool? pipelined in new bool?[] { false, true })
        {
            var t = DataTable.ReadCsv(path, null, pipelined);
            Assert.Equal((rows, 3), (t.Numeric.Rows, t.Numeric.Cols));
            for (int i = 0; i < rows; i++)
                Assert.Equal([i, (i % 7) + 0.5f, -i], t.Numeric.Row(i).ToArray());
            Assert.Equal(Enumerable.Range(0, rows).Select(i => (float)(i % 3)), t.Targets!.AsSpan().ToArray());
        }
        var data = CsvDataset.Load(path);
        for (int i = 0; i < rows; i += 97)
            Assert.Equal([i, (i % 7) + 0.5f, -i], data.Features.Row(i).ToArray());
        Assert.Equal(rows, data.Count);
    }

    [Fact]
    public void An_out_of_range_first_value_then_text_keeps_both_as_levels()
    {
        var (t, u) = ReadBoth("a,b,y\n1e39,5,0\nx,6,1\n2,7,0\n");
        Assert.Equal(["1e39", "2", "x"], t.Levels[0]);
        Assert.Equal([0, 2, 1], t.Codes);
        Assert.Equal(t.Codes, u.Codes);
        Assert.Equal([5f, 6, 7], t.Numeric.AsSpan().ToArray());
    }

    [Fact]
    public void An_infinity_is_refused_in_a_numeric_column_and_a_level_in_a_text_one()
    {
        string path = _temp.Write("a,y\n1,0\nInfinity,1\n2,0\n");
        var e = Assert.Throws<DataFormatException>(() => DataTable.ReadCsv(path));
        Assert.Equal((3L, "a"), (e.Line, e.Column));
        var (t, _) = ReadBoth("a,y\n1,0\nInfinity,1\nx,0\n");
        Assert.Equal(["1", "Infinity", "x"], t.Levels[0]);
    }

    [Fact]
    public void Of_several_out_of_range_values_the_first_is_reported()
    {
        string path = _temp.Write("a,y\n1e39,0\n2,1\n-1e40,0\n3,1\n");
        foreach (bool pipelined in new[] { false, true })
        {
            var e = Assert.Throws<DataFormatException>(() => DataTable.ReadCsv(path, null, pipelined));
            Assert.Equal((2L, "a"), (e.Line, e.Column));
            Assert.Contains("'1e39': it is outside the float32 range", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("a,b,y\nred,1,0\n2,2,1\n", false)]        // text on the first row: nothing before it
    [InlineData("a,b,y\nNA,1,0\n,2,1\nred,3,0\n", false)] // only missing values before the text
    [InlineData("a,b,y\n1,1,0\nNA,2,1\nred,3,0\n", true)] // a number before the text: its spelling is lost
    public void A_second_reading_is_asked_only_for_text_after_numbers(string text, bool reread)
    {
        string path = _temp.Write(text);
        foreach (bool pipelined in new[] { false, true })
        {
            var table = CsvTable.Read(path, new TableOptions(), new MissingMarkers(null), textColumns: null, pipelined);
            Assert.Equal((ColumnMode.Text, reread), (table.Reads[0].Mode, table.Reads[0].Reread));
            Assert.Equal((ColumnMode.Infer, false), (table.Reads[1].Mode, table.Reads[1].Reread));
        }
    }

    [Fact]
    public void A_quoted_target_in_the_first_column_is_read_as_quoted_codes()
    {
        var (t, u) = ReadBoth("y,a\n\"1.5\",1\n\"2.5\",2\n\"1.5\",3\n", new TableOptions { Target = "y" });
        Assert.Equal((TaskKind.Classification, "quoted codes"), (t.Task, t.TaskReason));
        Assert.Equal(["1.5", "2.5"], t.ClassNames);
        Assert.Equal([0f, 1f, 0f], t.Targets!.AsSpan().ToArray());
        Assert.Equal(t.TaskReason, u.TaskReason);
    }

    [Fact]
    public void Text_after_missing_values_only_needs_no_second_reading_and_loses_nothing()
    {
        var (t, u) = ReadBoth("a,b,y\nNA,1,0\n,2,1\nred,3,0\nNA,4,1\nblue,5,0\n");
        Assert.Equal(["blue", "red"], t.Levels[0]);
        Assert.Equal([-1, -1, 1, -1, 0], t.Codes);
        Assert.Equal(t.Codes, u.Codes);
        Assert.Equal(3, t.Columns[0].Missing);
    }

    [Fact]
    public void A_quoted_field_makes_an_inferred_column_text_from_there()
    {
        var (t, u) = ReadBoth("a,b,y\n1,1,0\n\"2\",2,1\n3,3,0\n");
        Assert.Equal((ColumnKind.Categorical, "quoted codes"), (t.Columns[0].Kind, t.Columns[0].Reason));
        Assert.Equal(["1", "2", "3"], t.Levels[0]);
        Assert.Equal([0, 1, 2], t.Codes);
        Assert.Equal(t.Codes, u.Codes);
        Assert.Equal((ColumnKind.Numeric, 3), (t.Columns[1].Kind, t.Columns[1].Distinct));
    }

    [Fact]
    public void A_numeric_marker_is_looked_up_even_as_a_small_integer()
    {
        var (t, u) = ReadBoth("a,b,y\n7,7,0\n8,x,1\n7,7,0\n9,8,1\n", new TableOptions { NaValues = ["7"] });
        Assert.Equal([float.NaN, 8, float.NaN, 9], Enumerable.Range(0, 4).Select(i => t.Numeric[i, 0]));
        Assert.Equal(2, t.Columns[0].Missing);
        Assert.Equal(["8", "x"], t.Levels[0]);
        Assert.Equal([-1, 1, -1, 0], t.Codes);
        Assert.Equal(t.Codes, u.Codes);
        // without the marker 7 is a value
        var (v, _) = ReadBoth("a,b,y\n7,7,0\n8,x,1\n7,7,0\n9,8,1\n");
        Assert.Equal([7f, 8, 7, 9], Enumerable.Range(0, 4).Select(i => v.Numeric[i, 0]));
    }

    [Fact]
    public void Missing_targets_are_markers_in_a_table_and_errors_in_a_dataset()
    {
        var (t, _) = ReadBoth("a,y\n1,0\n2,\n3,NA\n4,1\n5,\"\"\n");
        Assert.Equal((2, 3), (t.Count, t.DroppedTargetRows));
        string path = _temp.Write("a,y\n1,0\n2,\n3,1\n");
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path));
        Assert.Equal((3L, "y"), (e.Line, e.Column));
        Assert.Contains("the target is empty", e.Message, StringComparison.Ordinal);
    }
}
