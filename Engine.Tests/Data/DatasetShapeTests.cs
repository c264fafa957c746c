namespace Engine.Tests.Data;

/// <summary><see cref="Dataset"/>'s checks and copies, <see cref="DataFormatException"/>'s message, <see cref="DataTable"/>'s summary.</summary>
public class DatasetShapeTests
{
    private static Dataset Make(int rows, int cols, TaskKind task = TaskKind.Regression, IReadOnlyList<string>? classes = null)
    {
        var x = new Matrix<float>(rows, cols);
        var y = new Matrix<float>(rows, 1);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
                x[i, j] = (10 * i) + j;
            y[i, 0] = i % 2;
        }
        return new Dataset(x, y, [.. Enumerable.Range(0, cols).Select(j => $"c{j}")], "t", task, classes, "src.csv");
    }

    [Fact]
    public void Properties_are_as_given()
    {
        var d = Make(3, 2, TaskKind.Classification, ["no", "yes"]);
        Assert.Equal((3, 2, "t", "src.csv", TaskKind.Classification), (d.Count, d.ClassCount, d.TargetName, d.Source, d.Task));
        Assert.Equal(["c0", "c1"], d.FeatureNames);
        Assert.Equal(["no", "yes"], d.ClassNames);
        Assert.Equal("Dataset(src.csv: 3 rows × 2 features, Classification)", d.ToString());
        var r = Make(4, 1);
        Assert.Equal(0, r.ClassCount);
        Assert.Null(r.ClassNames);
        Assert.Equal("Dataset(src.csv: 4 rows × 1 features, Regression)", r.ToString());
    }

    [Fact]
    public void The_constructor_checks_shapes_and_class_names()
    {
        var x = new Matrix<float>(3, 2);
        string[] names = ["a", "b"];
        Assert.Throws<ArgumentNullException>(() => new Dataset(null!, new Matrix<float>(3, 1), names, "t", TaskKind.Regression, null, "s"));
        Assert.Throws<ArgumentNullException>(() => new Dataset(x, null!, names, "t", TaskKind.Regression, null, "s"));
        Assert.Throws<ArgumentNullException>(() => new Dataset(x, new Matrix<float>(3, 1), null!, "t", TaskKind.Regression, null, "s"));
        var rows = Assert.Throws<ArgumentException>(() => new Dataset(x, new Matrix<float>(2, 1), names, "t", TaskKind.Regression, null, "s"));
        Assert.Equal("targets", rows.ParamName);
        Assert.Contains("targets must be 3×1 to match the features, got 2×1.", rows.Message, StringComparison.Ordinal);
        var cols = Assert.Throws<ArgumentException>(() => new Dataset(x, new Matrix<float>(3, 2), names, "t", TaskKind.Regression, null, "s"));
        Assert.Equal("targets", cols.ParamName);
        var n = Assert.Throws<ArgumentException>(() => new Dataset(x, new Matrix<float>(3, 1), ["a"], "t", TaskKind.Regression, null, "s"));
        Assert.Equal("featureNames", n.ParamName);
        Assert.Contains("1 feature names for 2 feature columns.", n.Message, StringComparison.Ordinal);
        var classes = Assert.Throws<ArgumentException>(() => new Dataset(x, new Matrix<float>(3, 1), names, "t", TaskKind.Classification, null, "s"));
        Assert.Equal("classNames", classes.ParamName);
        Assert.StartsWith("A classification dataset needs its class names.", classes.Message, StringComparison.Ordinal);
        Assert.Equal("classNames", Assert.Throws<ArgumentException>(() => new Dataset(x, new Matrix<float>(3, 1), names, "t", TaskKind.Classification, [], "s")).ParamName);
        Assert.Equal(1, new Dataset(x, new Matrix<float>(3, 1), names, "t", TaskKind.Classification, ["one"], "s").ClassCount);
    }

    [Fact]
    public void Subset_copies_the_given_rows_in_the_given_order()
    {
        var d = Make(5, 3, TaskKind.Classification, ["e", "o"]);
        var s = d.Subset([4, 1, 1]);
        Assert.Equal(3, s.Count);
        Assert.Equal([40f, 41, 42, 10, 11, 12, 10, 11, 12], s.Features.AsSpan().ToArray());
        Assert.Equal([0f, 1, 1], s.Targets.AsSpan().ToArray());
        Assert.Same(d.FeatureNames, s.FeatureNames);
        Assert.Same(d.ClassNames, s.ClassNames);
        Assert.Equal((d.TargetName, d.Task, d.Source), (s.TargetName, s.Task, s.Source));
        s.Features[0, 0] = -1;
        Assert.Equal(40f, d.Features[4, 0]); // a copy
        Assert.Equal(0, d.Subset([]).Count);
    }

    [Fact]
    public void With_keeps_the_labels_over_new_matrices()
    {
        var d = Make(2, 1, TaskKind.Classification, ["e", "o"]);
        var x = new Matrix<float>(2, 1, [7, 8]);
        var y = new Matrix<float>(2, 1, [1, 0]);
        var w = d.With(x, y);
        Assert.Same(x, w.Features);
        Assert.Same(y, w.Targets);
        Assert.Same(d.ClassNames, w.ClassNames);
        Assert.Throws<ArgumentException>(() => d.With(new Matrix<float>(3, 1), y));
    }

    [Theory]
    [InlineData(7L, "w", "f.csv: line 7, column 'w': bad.")]
    [InlineData(7L, null, "f.csv: line 7: bad.")]
    [InlineData(null, "w", "f.csv: column 'w': bad.")]
    [InlineData(null, null, "f.csv: bad.")]
    public void A_format_error_names_what_is_known(long? line, string? column, string message)
    {
        var e = new DataFormatException("f.csv", line, column, "bad.");
        Assert.Equal(message, e.Message);
        Assert.Equal(("f.csv", line, column), (e.FilePath, e.Line, e.Column));
    }

    [Fact]
    public void An_excerpt_keeps_forty_chars()
    {
        string forty = new('a', 40);
        Assert.Equal(forty, DataFormatException.Excerpt(forty));
        Assert.Equal(forty + "…", DataFormatException.Excerpt(forty + "b"));
        Assert.Equal("", DataFormatException.Excerpt(""));
    }

    [Fact]
    public void A_table_from_a_dataset_counts_missing_and_distinct_values()
    {
        var x = new Matrix<float>(5, 2, [1, float.NaN, 1, 2.5f, float.NaN, 2.5f, 3, -0f, 1, 0]);
        var d = new Dataset(x, new Matrix<float>(5, 1), ["a", "b"], "t", TaskKind.Regression, null, "m");
        var t = DataTable.FromDataset(d);
        Assert.Equal([(1, 2), (1, 2)], t.Columns.Select(c => (c.Missing, c.Distinct)));
        Assert.All(t.Columns, c => Assert.Equal((ColumnKind.Numeric, "numbers"), (c.Kind, c.Reason)));
        Assert.Equal((TaskKind.Regression, "from a dataset", 0, "t"), (t.Task, t.TaskReason, t.DroppedTargetRows, t.TargetName));
        Assert.Empty(t.IgnoredColumns);
        Assert.Empty(t.Codes);
        Assert.Equal("DataTable(m: 5 rows × 2 numeric, 0 categorical, 0 dropped; Regression)", t.ToString());
        Assert.Throws<ArgumentNullException>(() => DataTable.FromDataset(null!));
    }
}
