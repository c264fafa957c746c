using System.Globalization;
using System.Text;
using Engine.Data;

namespace Engine.Tests.Data;

/// <summary>The rules of <see cref="DataTable.ReadCsv(string, TableOptions?)"/> on small hand-written tables.</summary>
public sealed class DataTableTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Reads <paramref name="text"/>; the same table whether decoding and converting run on other threads or not.</summary>
    private DataTable Read(string text, TableOptions? options = null)
    {
        string path = _temp.Write(text);
        var table = DataTable.ReadCsv(path, options);
        var pipelined = DataTable.ReadCsv(path, options, pipelined: true);
        Assert.Equal(table.Columns.Select(Describe), pipelined.Columns.Select(Describe));
        Assert.Equal(table.Codes, pipelined.Codes);
        return table;
    }

    private static string Describe(ColumnSchema c) => $"{c.Name} {c.Kind} {c.Missing} {c.Distinct} {c.Reason} {string.Join(" ", c.TopLevels)}";

    private DataFormatException Refused(string text, TableOptions? options = null)
    {
        string path = _temp.Write(text);
        var e = Assert.Throws<DataFormatException>(() => DataTable.ReadCsv(path, options));
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        return e;
    }

    private static ColumnSchema Column(DataTable t, string name) => t.Columns.Single(c => c.Name == name);

    /// <summary>A CSV with a header and one line per row from the columns given as (name, values).</summary>
    private static string Csv(params (string Name, Func<int, string> Value)[] columns) => Csv(30, columns);

    private static string Csv(int rows, params (string Name, Func<int, string> Value)[] columns)
    {
        var sb = new StringBuilder(string.Join(",", columns.Select(c => c.Name))).Append('\n');
        for (int i = 0; i < rows; i++)
            sb.Append(string.Join(",", columns.Select(c => c.Value(i)))).Append('\n');
        return sb.ToString();
    }

    private static string S(int i) => i.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void Each_column_kind_says_why()
    {
        var t = Read(Csv(
            ("num", i => S(i % 7) + ".5"),
            ("word", i => i % 3 == 0 ? "red" : "blue"),
            ("code", i => $"\"{i % 4}\""),
            ("flag", i => i % 2 == 0 ? "yes" : "no"),
            ("same", _ => "4"),
            ("sametext", _ => "x"),
            ("empty", _ => "NA"),
            ("id", i => $"cust{i}"),
            ("y", i => S(i % 2))));
        Assert.Equal((ColumnKind.Numeric, "numbers", 7), (Column(t, "num").Kind, Column(t, "num").Reason, Column(t, "num").Distinct));
        Assert.Equal((ColumnKind.Categorical, "text"), (Column(t, "word").Kind, Column(t, "word").Reason));
        Assert.Equal([new LevelCount("blue", 20), new LevelCount("red", 10)], Column(t, "word").TopLevels);
        Assert.Equal((ColumnKind.Categorical, "quoted codes"), (Column(t, "code").Kind, Column(t, "code").Reason));
        Assert.Equal((ColumnKind.Categorical, "text"), (Column(t, "flag").Kind, Column(t, "flag").Reason));
        Assert.Equal((ColumnKind.Dropped, "constant"), (Column(t, "same").Kind, Column(t, "same").Reason));
        Assert.Equal((ColumnKind.Dropped, "constant"), (Column(t, "sametext").Kind, Column(t, "sametext").Reason));
        Assert.Equal((ColumnKind.Dropped, "every value missing", 30), (Column(t, "empty").Kind, Column(t, "empty").Reason, Column(t, "empty").Missing));
        Assert.Equal((ColumnKind.Dropped, "identifier-like: 30 distinct of 30 rows"), (Column(t, "id").Kind, Column(t, "id").Reason));
        Assert.Equal(["num"], t.NumericColumns.Select(c => c.Name));
        Assert.Equal(["word", "code", "flag"], t.CategoricalColumns.Select(c => c.Name));
        Assert.Equal((30, 1), (t.Numeric.Rows, t.Numeric.Cols));
        Assert.Equal(3, t.CategoricalCount);
        Assert.Equal(["blue", "red"], t.Levels[0]);
        Assert.Equal(["0", "1", "2", "3"], t.Levels[1]);
        Assert.Equal(["no", "yes"], t.Levels[2]);
        Assert.Equal([1, 0, 1], t.Codes[..3]); // row 0: red, "0", yes
        Assert.Equal(0.5f, t.Numeric[0, 0]);
    }

    [Fact]
    public void Few_rows_of_distinct_text_are_not_identifiers()
    {
        var t = Read("name,y\na,1\nb,2\nc,3\n");
        Assert.Equal(ColumnKind.Categorical, t.Columns[0].Kind);
    }

    [Fact]
    public void Quoted_codes_sort_as_numbers_and_keep_their_spelling()
    {
        var t = Read("c,y\n\"10\",1\n\"9\",2\n\"01\",3\n\"9\",4\n");
        Assert.Equal(["01", "9", "10"], t.Levels[0]);
        Assert.Equal([2, 1, 0, 1], t.Codes);
    }

    [Fact]
    public void A_quote_everything_file_of_measurements_stays_numeric()
    {
        var t = Read(Csv(80, ("x", i => $"\"{S(i)}.25\""), ("k", i => $"\"{S(i % 3)}\""), ("y", i => $"\"{S(i * 3)}.5\"")));
        Assert.Equal((ColumnKind.Numeric, 80), (Column(t, "x").Kind, Column(t, "x").Distinct));
        Assert.StartsWith("quoted numbers, 80 distinct", Column(t, "x").Reason, StringComparison.Ordinal);
        Assert.Equal(79.25f, t.Numeric[79, 0]);
        Assert.Equal((ColumnKind.Categorical, "quoted codes"), (Column(t, "k").Kind, Column(t, "k").Reason));
        Assert.Equal(TaskKind.Regression, t.Task);
        Assert.Equal(3.5f, t.Targets![1, 0]);
    }

    [Fact]
    public void Text_after_numbers_keeps_every_value_as_written()
    {
        // the column looks numeric for three rows; reading it again as text keeps "01" and "1.0" apart from "1"
        var t = Read("a,b,y\n1,01,0\n2,1.0,1\n3,1,0\nx,1,1\n4,z,0\n");
        Assert.Equal(ColumnKind.Categorical, t.Columns[0].Kind);
        Assert.Equal(["1", "2", "3", "4", "x"], t.Levels[0]);
        Assert.Equal(["01", "1", "1.0", "z"], t.Levels[1]);
        Assert.Equal([0, 0, 1, 2, 2, 1, 4, 1, 3, 3], t.Codes);
    }

    [Fact]
    public void Mostly_numbers_with_a_stray_word_says_where_the_word_is()
    {
        var t = Read(Csv(("a", i => i == 17 ? "abc" : S(i)), ("y", i => S(i % 2))));
        var a = t.Columns[0];
        Assert.Equal(ColumnKind.Dropped, a.Kind); // 30 distinct of 30: identifier-like
        var u = Read(Csv(("a", i => i == 17 ? "abc" : S(i % 5)), ("y", i => S(i % 2))));
        Assert.Equal(ColumnKind.Categorical, u.Columns[0].Kind);
        Assert.Contains("'abc' on line 19", u.Columns[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_markers_default_to_pandas_list()
    {
        string[] markers = ["", "NA", "N/A", "NaN", "nan", "null", "None", "?"];
        var t = Read(Csv(markers.Length + 2, ("a", i => i < markers.Length ? markers[i] : S(i)), ("b", i => i < markers.Length ? markers[i] : S(i % 2) + "x"), ("y", i => S(i % 2))));
        Assert.Equal(TableOptions.DefaultNaValues, markers);
        Assert.Equal((ColumnKind.Numeric, 8, 2), (t.Columns[0].Kind, t.Columns[0].Missing, t.Columns[0].Distinct));
        Assert.Equal((ColumnKind.Categorical, 8, 2), (t.Columns[1].Kind, t.Columns[1].Missing, t.Columns[1].Distinct));
        Assert.True(float.IsNaN(t.Numeric[0, 0]));
        Assert.Equal(8f, t.Numeric[8, 0]);
        Assert.Equal(-1, t.Codes[0]);
    }

    [Fact]
    public void Markers_are_exact()
    {
        var t = Read("a,y\n na,0\nNA ,1\nNA,1\n");
        Assert.Equal([" na", "NA "], t.Levels[0]);
        Assert.Equal(1, t.Columns[0].Missing);
    }

    [Fact]
    public void NaValues_replaces_the_default_list()
    {
        var options = new TableOptions { NaValues = ["-999"] };
        var t = Read("a,b,c,y\n1,NA,-999,0\n-999,x,2,1\n3,NA,,0\n", options);
        Assert.Equal((ColumnKind.Numeric, 1), (t.Columns[0].Kind, t.Columns[0].Missing));
        Assert.True(float.IsNaN(t.Numeric[1, 0]));
        Assert.Equal((ColumnKind.Categorical, 0), (t.Columns[1].Kind, t.Columns[1].Missing)); // "NA" is a level now
        Assert.Equal(["NA", "x"], t.Levels[0]);
        Assert.Equal((ColumnKind.Categorical, 1), (t.Columns[2].Kind, t.Columns[2].Missing)); // "" is a level now
        Assert.Equal(["", "2"], t.Levels[1]);
    }

    [Fact]
    public void Forced_categorical_keeps_zip_codes_as_written()
    {
        var t = Read("zip,x,y\n01234,1,0\n95838,2,1\n01234,3,0\n", new TableOptions { Categorical = ["zip"] });
        Assert.Equal((ColumnKind.Categorical, "forced by Categorical"), (t.Columns[0].Kind, t.Columns[0].Reason));
        Assert.Equal(["01234", "95838"], t.Levels[0]);
        Assert.Equal([0, 1, 0], t.Codes);
    }

    [Fact]
    public void Forced_numeric_reads_quoted_codes_as_numbers_and_refuses_text()
    {
        var t = Read("k,y\n\"1\",0\n\"2\",1\nNA,1\n", new TableOptions { Numeric = ["k"] });
        Assert.Equal((ColumnKind.Numeric, "forced by Numeric", 1), (t.Columns[0].Kind, t.Columns[0].Reason, t.Columns[0].Missing));
        Assert.Equal(2f, t.Numeric[1, 0]);
        var e = Refused("k,y\n1,0\n2,1\nabc,1\n", new TableOptions { Numeric = ["k"] });
        Assert.Equal((4L, "k"), (e.Line, e.Column));
        Assert.Contains("'abc' is not a number", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dropped_and_unselected_columns_are_ignored()
    {
        var t = Read("a,b,c,y\n1,x,3,0\n2,y,4,1\n", new TableOptions { Drop = ["b"] });
        Assert.Equal(["a", "c"], t.Columns.Select(c => c.Name));
        Assert.Equal(["b"], t.IgnoredColumns);
        var u = Read("a,b,c,y\n1,x,3,0\n2,y,4,1\n", new TableOptions { Features = ["c", "a"] });
        Assert.Equal(["c", "a"], u.Columns.Select(c => c.Name));
        Assert.Equal(["b"], u.IgnoredColumns);
        Assert.Equal(3f, u.Numeric[0, 0]);
    }

    [Theory]
    [InlineData("Categorical")]
    [InlineData("Numeric")]
    [InlineData("Drop")]
    public void An_override_naming_an_unknown_column_is_refused(string option)
    {
        string[] names = ["nope"];
        var options = option switch
        {
            "Categorical" => new TableOptions { Categorical = names },
            "Numeric" => new TableOptions { Numeric = names },
            _ => new TableOptions { Drop = names },
        };
        var e = Refused("a,y\n1,0\n2,1\n", options);
        Assert.Equal((1L, "nope"), (e.Line, e.Column));
        Assert.Contains($"{option} names a column that does not exist; the columns are a, y", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overrides_must_not_name_the_target_or_overlap()
    {
        Assert.Contains("Categorical names the target column", Refused("a,y\n1,0\n", new TableOptions { Categorical = ["y"] }).Message, StringComparison.Ordinal);
        Assert.Contains("in both Categorical and Numeric", Refused("a,b,y\n1,2,0\n", new TableOptions { Categorical = ["a"], Numeric = ["a"] }).Message, StringComparison.Ordinal);
        Assert.Contains("no feature columns are left", Refused("a,y\n1,0\n", new TableOptions { Drop = ["a"] }).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_numbers_are_refused_in_numeric_columns_only()
    {
        var e = Refused("a,y\n1,0\n1e39,1\n2,0\n");
        Assert.Equal((3L, "a"), (e.Line, e.Column));
        Assert.Contains("outside the float32 range", e.Message, StringComparison.Ordinal);
        var t = Read("a,y\n1,0\n1e39,1\nx,0\n");
        Assert.Equal(["1", "1e39", "x"], t.Levels[0]);
    }

    [Fact]
    public void Rows_with_a_missing_target_are_dropped_and_counted()
    {
        var t = Read("a,b,y\n1,p,0.5\n2,q,NA\n3,r,\n4,p,2.5\n5,q,3.5\n");
        Assert.Equal((3, 2), (t.Count, t.DroppedTargetRows));
        Assert.Equal([1f, 4f, 5f], Enumerable.Range(0, 3).Select(i => t.Numeric[i, 0]));
        Assert.Equal([0, 0, 1], t.Codes);
        Assert.Equal(["p", "q"], t.Levels[0]); // levels of the rows kept ("r" was on a dropped row)
        Assert.Equal(2, Column(t, "b").Distinct);
        Assert.Equal(3.5f, t.Targets![2, 0]);
    }

    [Fact]
    public void A_target_missing_on_every_row_is_refused()
    {
        var e = Refused("a,y\n1,NA\n2,\n");
        Assert.Equal("y", e.Column);
        Assert.Contains("missing on every row", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_that_are_the_same_number_are_one_class()
    {
        var t = Read("a,y\n1,0\n2,-0\n3,1\n4,1.0\n5,2\n");
        Assert.Equal(["0", "1", "2"], t.ClassNames);
        Assert.Equal([0f, 0f, 1f, 1f, 2f], Enumerable.Range(0, 5).Select(i => t.Targets![i, 0]));
        Assert.Equal((TaskKind.Classification, "3 distinct integers"), (t.Task, t.TaskReason));
    }

    [Fact]
    public void Task_detection_says_why()
    {
        Assert.Equal("text labels", Read("a,y\n1,cat\n2,dog\n").TaskReason);
        Assert.Equal("quoted codes", Read("a,y\n1,\"1.5\"\n2,\"2.5\"\n").TaskReason);
        var t = Read(Csv(("a", S), ("y", i => S(i * 2))));
        Assert.Equal((TaskKind.Regression, "numbers, 30 distinct values"), (t.Task, t.TaskReason));
        Assert.Equal("given", Read("a,y\n1,1\n2,2\n", new TableOptions { Task = TaskKind.Regression }).TaskReason);
    }

    [Fact]
    public void A_stray_word_in_a_numeric_target_names_its_line_and_column()
    {
        var e = Refused(Csv(("a", S), ("y", i => i == 20 ? "abc" : S(i * 2) + ".5")));
        Assert.Equal((22L, "y"), (e.Line, e.Column));
        Assert.Contains("'abc' in a numeric target (29 of 30 values are numbers)", e.Message, StringComparison.Ordinal);
        var r = Refused("a,y\n1,1.5\n2,abc\n", new TableOptions { Task = TaskKind.Regression });
        Assert.Equal((3L, "y"), (r.Line, r.Column));
        // a marker is not a stray word, and classification takes the word as a label
        Assert.Equal(29, Read(Csv(("a", S), ("y", i => i == 20 ? "NA" : S(i * 2) + ".5"))).Count);
        Assert.Equal(30, Read(Csv(("a", S), ("y", i => i == 20 ? "abc" : S(i * 2) + ".5")), new TableOptions { Task = TaskKind.Classification }).ClassNames!.Count);
    }

    [Fact]
    public void An_optional_target_may_be_absent()
    {
        var t = Read("a,b\n1,x\n2,y\n", new TableOptions { Target = "y", TargetOptional = true });
        Assert.Null(t.Targets);
        Assert.Null(t.TargetName);
        Assert.Equal(["a", "b"], t.Columns.Select(c => c.Name));
        Assert.Equal("no target", t.TaskReason);
        Assert.Equal(TaskKind.Regression, t.Task);
        var given = Read("a,b\n1,x\n2,y\n", new TableOptions { Target = "y", TargetOptional = true, Task = TaskKind.Classification, ClassNames = ["no", "yes"] });
        Assert.Equal((TaskKind.Classification, "no target"), (given.Task, given.TaskReason)); // the given task, though no target is read
        Assert.Equal(["no", "yes"], given.ClassNames);
        var u = Read("a,y\n1,0\n2,1\n", new TableOptions { Target = "y", TargetOptional = true });
        Assert.Equal(["0", "1"], u.ClassNames);
        Assert.Equal(["a", "y"], Read("a,y\n1,0\n2,1\n", new TableOptions { TargetOptional = true }).Columns.Select(c => c.Name));
        Assert.Equal("y", Refused("a,b\n1,x\n", new TableOptions { Target = "y" }).Column);
    }

    [Fact]
    public void Subset_keeps_the_levels_whole()
    {
        var t = Read("a,b,y\n1,p,0\n2,q,1\n3,r,0\n4,q,1\n");
        var s = t.Subset([3, 0]);
        Assert.Equal(2, s.Count);
        Assert.Same(t.Levels, s.Levels);
        Assert.Same(t.Columns, s.Columns);
        Assert.Equal(["p", "q", "r"], s.Levels[0]);
        Assert.Equal([1, 0], s.Codes);
        Assert.Equal([4f, 1f], [s.Numeric[0, 0], s.Numeric[1, 0]]);
        Assert.Equal([1f, 0f], [s.Targets![0, 0], s.Targets[1, 0]]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => t.Subset([4]));
        Assert.Equal("rows", e.ParamName);
        Assert.StartsWith("row 4 is outside the table's 4 rows.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromDataset_is_an_all_numeric_table()
    {
        var data = Datasets.Classification([0, 1, 1, 0], features: 3);
        var t = DataTable.FromDataset(data);
        Assert.Same(data.Features, t.Numeric);
        Assert.Same(data.Targets, t.Targets);
        Assert.Equal(["f0", "f1", "f2"], t.NumericColumns.Select(c => c.Name));
        Assert.Equal((4, 0, 4), (t.Count, t.CategoricalCount, t.Columns[0].Distinct));
        Assert.Equal(data.ClassNames, t.ClassNames);
    }

    [Fact]
    public void An_all_numeric_file_reads_as_CsvDataset_does()
    {
        string text = Csv(40, ("p1", i => S(i % 256)), ("p2", i => S(i * 7 % 13) + ".25"), ("label", i => S(i % 3)));
        string path = _temp.Write(text);
        var data = CsvDataset.Load(path);
        var t = DataTable.ReadCsv(path);
        Assert.Equal(data.Features.AsSpan().ToArray(), t.Numeric.AsSpan().ToArray());
        Assert.Equal(data.Targets.AsSpan().ToArray(), t.Targets!.AsSpan().ToArray());
        Assert.Equal(data.ClassNames, t.ClassNames);
        Assert.Equal([40, 13], t.Columns.Select(c => c.Distinct));
    }
}
