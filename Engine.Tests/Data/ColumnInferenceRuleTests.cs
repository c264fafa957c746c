namespace Engine.Tests.Data;

/// <summary>
/// <see cref="ColumnInference"/>: the distinct and missing counts against a set of doubles, and how the numeric matrix,
/// the codes and the top levels are laid out when columns are dropped, read from text, or rows lose their target.
/// </summary>
public sealed class ColumnInferenceRuleTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private DataTable Read(string text, TableOptions? options = null) => DataTable.ReadCsv(_temp.Write(text), options);

    private static string S(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static string Csv(int rows, params (string Name, Func<int, string> Value)[] columns)
    {
        var sb = new StringBuilder(string.Join(",", columns.Select(c => c.Name))).Append('\n');
        for (int i = 0; i < rows; i++)
            sb.Append(string.Join(",", columns.Select(c => c.Value(i)))).Append('\n');
        return sb.ToString();
    }

    [Fact]
    public void NumericStats_counts_as_a_set_of_doubles_does()
    {
        var rng = new Rng(17);
        var x = new Matrix<float>(300, 4);
        for (int i = 0; i < x.Rows; i++)
        {
            x[i, 0] = rng.NextInt(1100) - 40;                            // whole numbers around and past the 0..1023 bitmap
            x[i, 1] = rng.NextInt(5) == 0 ? float.NaN : rng.NextInt(70) * 0.5f; // halves, a fifth missing
            x[i, 2] = rng.NextInt(3) switch { 0 => 0f, 1 => -0f, _ => 1023 + rng.NextInt(3) }; // ±0 and 1023, 1024, 1025
            x[i, 3] = (float)rng.NextNormal(0, 1e6);
        }
        int[] columns = [2, 0, 3, 1];
        int[] rows = [.. Enumerable.Range(0, 300).Where(i => i % 7 != 3)];
        foreach (int[]? subset in new[] { null, rows })
        {
            var (missing, distinct) = ColumnInference.NumericStats(x, columns, subset);
            int[] which = subset ?? [.. Enumerable.Range(0, x.Rows)];
            for (int k = 0; k < columns.Length; k++)
            {
                var values = which.Select(i => (double)x[i, columns[k]]).ToList();
                Assert.Equal(values.Count(double.IsNaN), missing[k]);
                Assert.Equal(values.Where(v => !double.IsNaN(v)).Select(v => v == 0 ? 0 : v).Distinct().Count(), distinct[k]);
            }
        }
        var (m2, d2) = ColumnInference.NumericStats(x, [2], null);
        Assert.Equal((0, 4), (m2[0], d2[0])); // 0 (either sign), 1023, 1024, 1025
    }

    [Fact]
    public void NumericStats_of_no_rows_or_no_columns()
    {
        var x = new Matrix<float>(3, 2, [1, 2, 3, 4, 5, 6]);
        var (missing, distinct) = ColumnInference.NumericStats(x, [0, 1], []);
        Assert.Equal([0, 0], missing);
        Assert.Equal([0, 0], distinct);
        var (m0, d0) = ColumnInference.NumericStats(x, [], null);
        Assert.Empty(m0);
        Assert.Empty(d0);
    }

    [Fact]
    public void Numeric_columns_keep_schema_order_whether_read_as_numbers_or_from_text()
    {
        // q: quoted numbers with more than 50 distinct values (read as text, then parsed); k: constant, dropped
        var t = Read(Csv(60, ("a", i => S(i) + ".5"), ("k", _ => "3"), ("q", i => $"\"{S(i * 2)}\""), ("c", i => i % 2 == 0 ? "u" : "v"), ("b", i => S(-i)), ("y", i => S(i % 3))));
        Assert.Equal(["a", "q", "b"], t.NumericColumns.Select(c => c.Name));
        Assert.Equal((ColumnKind.Dropped, "constant"), (t.Columns[1].Kind, t.Columns[1].Reason));
        Assert.Equal((60, 3), (t.Numeric.Rows, t.Numeric.Cols));
        for (int i = 0; i < 60; i++)
            Assert.Equal([i + 0.5f, i * 2, -i], t.Numeric.Row(i).ToArray());
        Assert.Equal(Enumerable.Range(0, 60).Select(i => i % 2), t.Codes);
        Assert.Equal("DataTable(" + t.Source + ": 60 rows × 3 numeric, 1 categorical, 1 dropped; Classification)", t.ToString());
    }

    [Fact]
    public void Quoted_measurement_columns_are_each_parsed_from_their_own_text_with_their_missing_values()
    {
        // p and q: quoted numbers, 59 distinct each (more than 50: read as text, then parsed), one missing value each
        var t = Read(Csv(60, ("p", i => i == 7 ? "NA" : $"\"{S(i * 2)}\""), ("q", i => i == 11 ? "" : $"\"{S(i)}.5\""), ("y", i => S(i % 3))));
        Assert.Equal(["p", "q"], t.NumericColumns.Select(c => c.Name));
        Assert.Equal([(1, 59), (1, 59)], t.Columns.Select(c => (c.Missing, c.Distinct)));
        Assert.Equal((60, 2), (t.Numeric.Rows, t.Numeric.Cols));
        for (int i = 0; i < 60; i++)
            Assert.Equal([i == 7 ? float.NaN : i * 2, i == 11 ? float.NaN : i + 0.5f], t.Numeric.Row(i).ToArray());
        // a numbers column first, a quoted one second: every column numeric, but not every one read as numbers
        var u = Read(Csv(60, ("b", i => S(-i)), ("q", i => $"\"{S(i)}.5\""), ("y", i => S(i % 3))));
        for (int i = 0; i < 60; i++)
            Assert.Equal([-i, i + 0.5f], u.Numeric.Row(i).ToArray());
    }

    [Fact]
    public void Only_categorical_columns_list_top_levels()
    {
        var t = Read(Csv(30, ("c", i => i % 3 == 0 ? "red" : "blue"), ("k", _ => "x"), ("id", i => "cust" + S(i)), ("n", i => S(i % 4)), ("y", i => S(i % 2))));
        Assert.Equal([ColumnKind.Categorical, ColumnKind.Dropped, ColumnKind.Dropped, ColumnKind.Numeric], t.Columns.Select(c => c.Kind));
        Assert.Equal([new LevelCount("blue", 20), new LevelCount("red", 10)], t.Columns[0].TopLevels);
        Assert.Empty(t.Columns[1].TopLevels); // constant text
        Assert.Empty(t.Columns[2].TopLevels); // identifier-like text
        Assert.Empty(t.Columns[3].TopLevels);
    }

    [Fact]
    public void Rows_without_a_target_leave_every_kind_of_column_aligned()
    {
        // rows 2, 5, 8, … have no target; q is parsed from text, c is text, n is numbers
        var t = Read(Csv(90, ("n", i => S(i)), ("q", i => $"\"{S(i * 3)}.5\""), ("c", i => S(i % 4) + "x"), ("d", i => i % 5 == 0 ? "NA" : S(i % 2)), ("y", i => i % 3 == 2 ? "NA" : S(i) + ".25")));
        int[] kept = [.. Enumerable.Range(0, 90).Where(i => i % 3 != 2)];
        Assert.Equal((60, 30), (t.Count, t.DroppedTargetRows));
        Assert.Equal(["n", "q", "d"], t.NumericColumns.Select(c => c.Name));
        for (int r = 0; r < kept.Length; r++)
        {
            int i = kept[r];
            Assert.Equal(i, t.Numeric[r, 0]);
            Assert.Equal((i * 3) + 0.5f, t.Numeric[r, 1]);
            Assert.Equal(i % 5 == 0 ? float.NaN : i % 2, t.Numeric[r, 2]);
            Assert.Equal(i % 4, t.Codes[r]);
            Assert.Equal(i + 0.25f, t.Targets![r, 0]);
        }
        // counts are over the kept rows
        Assert.Equal(kept.Count(i => i % 5 == 0), t.Columns[3].Missing);
        Assert.Equal((0, 60), (t.Columns[0].Missing, t.Columns[0].Distinct));
        var levels = kept.GroupBy(i => i % 4).Select(g => new LevelCount(S(g.Key) + "x", g.Count()));
        Assert.Equal(levels.OrderByDescending(l => l.Count).ThenBy(l => l.Level, StringComparer.Ordinal), t.Columns[2].TopLevels);
        Assert.Equal((16, 14), (t.Columns[2].TopLevels[0].Count, t.Columns[2].TopLevels[^1].Count)); // not all tied
    }

    [Fact]
    public void Top_levels_are_the_five_most_frequent_ties_in_level_order()
    {
        // counts: a 3, b 5, c 3, d 1, e 5, f 2, g 3
        string[] values = [.. "bbbbbeeeeeaaacccgggffd".Select(ch => ch.ToString())];
        var t = Read(Csv(values.Length, ("v", i => values[i]), ("y", i => S(i % 2))));
        Assert.Equal(
            [new LevelCount("b", 5), new LevelCount("e", 5), new LevelCount("a", 3), new LevelCount("c", 3), new LevelCount("g", 3)],
            t.Columns[0].TopLevels);
        Assert.Equal((7, 0), (t.Columns[0].Distinct, t.Columns[0].Missing));
        Assert.Empty(t.NumericColumns);
        Assert.Equal(0, t.Numeric.Cols);
    }

    [Fact]
    public void Several_categorical_columns_interleave_their_codes_by_row()
    {
        var t = Read("p,q,r,y\nb,x,2,0\na,y,1,1\nb,z,1,0\na,x,2,1\n", new TableOptions { Categorical = ["r"] });
        Assert.Equal(3, t.CategoricalCount);
        Assert.Equal([1, 0, 1, 0, 1, 0, 1, 2, 0, 0, 0, 1], t.Codes);
        Assert.Equal(["1", "2"], t.Levels[2]);
        var s = t.Subset([2, 1]);
        Assert.Equal([1, 2, 0, 0, 1, 0], s.Codes);
        Assert.Equal([0f, 1f], s.Targets!.AsSpan().ToArray());
    }

    [Fact]
    public void A_forced_numeric_column_is_kept_even_when_constant_or_empty()
    {
        var t = Read("a,b,c,y\n5,NA,1,0\n5,NA,2,1\n5,NA,3,0\n", new TableOptions { Numeric = ["a", "b"] });
        Assert.Equal([("a", ColumnKind.Numeric, 0, 1), ("b", ColumnKind.Numeric, 3, 0), ("c", ColumnKind.Numeric, 0, 3)],
            t.Columns.Select(c => (c.Name, c.Kind, c.Missing, c.Distinct)));
        Assert.Equal(["forced by Numeric", "forced by Numeric", "numbers"], t.Columns.Select(c => c.Reason));
        Assert.Equal([5f, float.NaN, 2f], t.Numeric.Row(1).ToArray());
        var u = Read("a,b,c,y\n5,NA,1,0\n5,NA,2,1\n5,NA,3,0\n");
        Assert.Equal(["constant", "every value missing", "numbers"], u.Columns.Select(c => c.Reason));
        Assert.Equal([1f, 2f, 3f], u.Numeric.AsSpan().ToArray());
    }

    [Fact]
    public void An_all_numeric_table_with_a_missing_target_row_is_a_copy_of_the_kept_rows()
    {
        var t = Read("a,b,y\n1,10,0\n2,20,NA\n3,30,1\n");
        Assert.Equal([1f, 10, 3, 30], t.Numeric.AsSpan().ToArray());
        Assert.Equal((2, 1), (t.Count, t.DroppedTargetRows));
        var u = Read("a,b,y\n1,10,0\n2,20,1\n3,30,1\n", new TableOptions { Features = ["b", "a"] });
        Assert.Equal([10f, 1, 20, 2, 30, 3], u.Numeric.AsSpan().ToArray());
    }
}
