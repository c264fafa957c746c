namespace Engine.Tests.Data;

/// <summary><see cref="TargetEncoder"/> on hand-made target columns: the task it detects and why, the classes and the codes.</summary>
public class TargetEncoderTests
{
    private const string Path = "t.csv";

    private static (TaskKind Task, float[] Y, string[]? Classes, string Reason) Encode(
        IReadOnlyList<string> text, TableOptions? options = null, bool table = false, bool quoted = false)
    {
        long[] lines = [.. Enumerable.Range(2, text.Count).Select(i => (long)i)];
        var (task, y, classes, reason) = TargetEncoder.Encode(Path, "y", text, lines, options ?? new TableOptions(), table, quoted);
        Assert.Equal((text.Count, 1), (y.Rows, y.Cols));
        return (task, y.AsSpan().ToArray(), classes, reason);
    }

    private static string[] Numbers(int count, Func<int, double> value) =>
        [.. Enumerable.Range(0, count).Select(i => value(i).ToString(CultureInfo.InvariantCulture))];

    [Theory]
    [InlineData("1.0", "1")]
    [InlineData("-0", "0")]
    [InlineData("-0.0", "0")]
    [InlineData("0e5", "0")]
    [InlineData("1e2", "100")]
    [InlineData("0.10", "0.1")]
    [InlineData("-2.50", "-2.5")]
    [InlineData("abc", "abc")]
    [InlineData("NaN", "NaN")]           // not a finite number: kept as written
    [InlineData("Infinity", "Infinity")]
    [InlineData("1e999", "1e999")]
    public void Canonical_names_a_number_by_its_shortest_spelling(string label, string canonical)
    {
        Assert.Equal(canonical, TargetEncoder.Canonical(label));
    }

    [Fact]
    public void Up_to_twenty_distinct_whole_numbers_are_classes()
    {
        var twenty = Encode(Numbers(40, i => i % 20));
        Assert.Equal((TaskKind.Classification, "20 distinct integers"), (twenty.Task, twenty.Reason));
        Assert.Equal(Numbers(20, i => i), twenty.Classes!);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (float)(i % 20)), twenty.Y);

        var more = Encode(Numbers(42, i => i % 21));
        Assert.Equal((TaskKind.Regression, "numbers, 21 distinct values"), (more.Task, more.Reason));
        Assert.Null(more.Classes);
        Assert.Equal(Enumerable.Range(0, 42).Select(i => (float)(i % 21)), more.Y);
    }

    [Fact]
    public void A_fraction_makes_it_regression_and_minus_zero_is_zero()
    {
        var r = Encode(["0", "1", "2.5", "1"]);
        Assert.Equal((TaskKind.Regression, "numbers, 3 distinct values"), (r.Task, r.Reason));
        Assert.Equal([0f, 1f, 2.5f, 1f], r.Y);
        var c = Encode(["0", "-0", "1", "1.0", "-0.0"]);
        Assert.Equal((TaskKind.Classification, "2 distinct integers"), (c.Task, c.Reason));
        Assert.Equal(["0", "1"], c.Classes!);
        Assert.Equal([0f, 0f, 1f, 1f, 0f], c.Y);
    }

    [Fact]
    public void Numeric_labels_sort_as_numbers_text_labels_ordinally()
    {
        var n = Encode(["10", "9", "-1", "2", "9"]);
        Assert.Equal(["-1", "2", "9", "10"], n.Classes!);
        Assert.Equal([3f, 2f, 0f, 1f, 2f], n.Y);
        var t = Encode(["b", "B", "a", "b", "10", "9"]);
        Assert.Equal((TaskKind.Classification, "text labels"), (t.Task, t.Reason));
        Assert.Equal(["10", "9", "B", "a", "b"], t.Classes!);
        Assert.Equal([4f, 2f, 3f, 4f, 0f, 1f], t.Y);
    }

    [Fact]
    public void Outside_a_table_any_text_makes_labels()
    {
        // 29 of 30 numbers with 29 distinct values: a table would refuse the word, a dataset takes it as a label
        var text = Numbers(30, i => i * 1.5);
        text[7] = "oops";
        var r = Encode(text);
        Assert.Equal((TaskKind.Classification, "text labels"), (r.Task, r.Reason));
        Assert.Equal(30, r.Classes!.Length);
        Assert.Equal("oops", r.Classes[^1]);
    }

    [Theory]
    [InlineData(30, 3, 21, true)]   // 27 of 30 numbers (exactly 90%), 21 distinct: refused
    [InlineData(30, 4, 21, false)]  // 26 of 30: below 90%, labels
    [InlineData(30, 3, 20, false)]  // 20 distinct numbers: labels
    [InlineData(10, 1, 8, false)]
    public void In_a_table_a_stray_word_among_many_numbers_is_refused(int count, int words, int distinct, bool refused)
    {
        // row i holds (i mod distinct) + 0.5; the words replace rows distinct + 1, distinct + 3, … (every value is on an earlier row),
        // with numbers between and after them
        var text = Numbers(count, i => (i % distinct) + 0.5);
        int first = distinct + 1;
        for (int w = 0; w < words; w++)
            text[first + (2 * w)] = w == 0 ? "abc" : "x" + w.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(count - words, text.Count(t => double.TryParse(t, CultureInfo.InvariantCulture, out _)));
        if (refused)
        {
            var e = Assert.Throws<DataFormatException>(() => Encode(text, table: true));
            long line = first + 2;
            Assert.Equal((line, "y"), (e.Line, e.Column));
            Assert.Equal($"t.csv: line {line}, column 'y': 'abc' in a numeric target ({count - words} of {count} values are numbers); " +
                "give the task as classification to treat the values as labels, or list the value as a missing-value marker.", e.Message);
        }
        else
        {
            var r = Encode(text, table: true);
            Assert.Equal((TaskKind.Classification, "text labels"), (r.Task, r.Reason));
            Assert.Equal(distinct + words, r.Classes!.Length);
        }
    }

    [Fact]
    public void A_long_stray_word_is_cut_in_the_message()
    {
        var text = Numbers(40, i => i + 0.25);
        text[0] = new string('w', 45);
        var e = Assert.Throws<DataFormatException>(() => Encode(text, table: true));
        Assert.Contains($"'{new string('w', 40)}…' in a numeric target (39 of 40", e.Message, StringComparison.Ordinal);
        Assert.Equal(2L, e.Line);
    }

    [Fact]
    public void Of_two_stray_words_the_one_on_the_first_row_is_named()
    {
        var text = Numbers(40, i => i + 0.25);
        text[0] = "abc";
        text[20] = "xyz";
        var e = Assert.Throws<DataFormatException>(() => Encode(text, table: true));
        Assert.Equal((2L, "y"), (e.Line, e.Column));
        Assert.Contains("'abc' in a numeric target (38 of 40 values are numbers)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quoted_values_in_a_table_are_codes_up_to_fifty()
    {
        var fifty = Numbers(50, i => i + 0.5);
        var codes = Encode(fifty, table: true, quoted: true);
        Assert.Equal((TaskKind.Classification, "quoted codes"), (codes.Task, codes.Reason));
        Assert.Equal(50, codes.Classes!.Length);
        Assert.Equal("0.5", codes.Classes[0]);
        Assert.Equal((TaskKind.Regression, "numbers, 50 distinct values"), (Encode(fifty, table: false, quoted: true).Task, Encode(fifty, table: false, quoted: true).Reason));
        Assert.Equal(TaskKind.Regression, Encode(fifty, table: true, quoted: false).Task);
        var more = Encode(Numbers(51, i => i + 0.5), table: true, quoted: true);
        Assert.Equal((TaskKind.Regression, "numbers, 51 distinct values"), (more.Task, more.Reason));
        // quoted whole numbers past fifty distinct still follow the integer rule
        Assert.Equal("numbers, 51 distinct values", Encode(Numbers(51, i => i), table: true, quoted: true).Reason);
    }

    [Fact]
    public void A_given_task_is_used_as_given()
    {
        var r = Encode(["1", "2", "1"], new TableOptions { Task = TaskKind.Regression });
        Assert.Equal((TaskKind.Regression, "given"), (r.Task, r.Reason));
        Assert.Equal([1f, 2f, 1f], r.Y);
        var c = Encode(Numbers(30, i => i * 0.5), new TableOptions { Task = TaskKind.Classification });
        Assert.Equal((TaskKind.Classification, "given"), (c.Task, c.Reason));
        Assert.Equal(30, c.Classes!.Length);
        var e = Assert.Throws<DataFormatException>(() => Encode(["1.5", "2", "x", "3"], new TableOptions { Task = TaskKind.Regression }));
        Assert.Equal((4L, "y"), (e.Line, e.Column));
    }

    [Fact]
    public void Given_class_names_fix_the_codes()
    {
        var options = new TableOptions { ClassNames = ["yes", "no", "1"] };
        var r = Encode(["no", "1.0", "yes", "no"], options);
        Assert.Equal(["yes", "no", "1"], r.Classes!);
        Assert.Equal([1f, 2f, 0f, 1f], r.Y);
        Assert.Equal(TaskKind.Classification, r.Task);
        Assert.Equal(["only"], Encode(["only", "only"], new TableOptions { ClassNames = ["only"] }).Classes!); // one class is fine when given

        var e = Assert.Throws<DataFormatException>(() => Encode(["no", "maybe"], options));
        Assert.Equal((3L, "y"), (e.Line, e.Column));
        Assert.Equal("t.csv: line 3, column 'y': the class 'maybe' is not one of the model's classes (yes, no, 1).", e.Message);
    }

    [Fact]
    public void A_single_class_is_refused()
    {
        var e = Assert.Throws<DataFormatException>(() => Encode(["cat", "cat", "cat"]));
        Assert.Equal("t.csv: column 'y': every row has the class 'cat'; classification needs at least two classes.", e.Message);
        Assert.Null(e.Line);
        Assert.Contains("the class '1'", Assert.Throws<DataFormatException>(() => Encode(["1", "1.0"])).Message, StringComparison.Ordinal);
    }
}
