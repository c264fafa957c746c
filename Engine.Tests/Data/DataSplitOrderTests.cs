namespace Engine.Tests.Data;

/// <summary>
/// The exact rows <see cref="DataSplit.TrainTest(Dataset, double, ulong, bool)"/> holds out, against the documented
/// rule written out here: one generator seeded with the seed shuffles each class's rows (classes in ascending order,
/// rows in file order) and the first round-half-away(n·fraction) of them, at least 1 and at most n − 1, are test rows.
/// </summary>
public class DataSplitOrderTests
{
    /// <summary>Row i has feature i, target labels[i] (classification) or i (regression).</summary>
    private static Dataset Labelled(int[] labels)
    {
        var x = new Matrix<float>(labels.Length, 1);
        var y = new Matrix<float>(labels.Length, 1);
        for (int i = 0; i < labels.Length; i++)
        {
            x[i, 0] = i;
            y[i, 0] = labels[i];
        }
        return new Dataset(x, y, ["id"], "y", TaskKind.Classification, [.. Enumerable.Range(0, labels.Max() + 1).Select(c => $"c{c}")], "labelled.csv");
    }

    private static int[] Ids(Dataset part) => [.. Enumerable.Range(0, part.Count).Select(i => (int)part.Features[i, 0])];

    /// <summary>The test rows by the rule, in file order.</summary>
    private static int[] ExpectedTest(int[]? labels, int count, double fraction, ulong seed)
    {
        var rng = new Rng(seed);
        var test = new List<int>();
        var groups = labels is null
            ? [[.. Enumerable.Range(0, count)]]
            : labels.Distinct().Order().Select(c => Enumerable.Range(0, count).Where(i => labels[i] == c).ToArray()).ToList();
        foreach (int[] rows in groups)
        {
            rng.Shuffle(rows.AsSpan());
            double exact = rows.Length * fraction;
            int n = (int)Math.Floor(exact) + (exact - Math.Floor(exact) >= 0.5 ? 1 : 0);
            if (rows.Length >= 2)
                n = Math.Max(1, Math.Min(n, rows.Length - 1));
            test.AddRange(rows.Take(n));
        }
        return [.. test.Order()];
    }

    [Theory]
    [InlineData(10, 0.25, 1UL)]  // 2.5 rounds away from zero: 3
    [InlineData(10, 0.35, 2UL)]  // 3.5: 4
    [InlineData(7, 0.5, 3UL)]    // 3.5: 4
    [InlineData(40, 0.2, 4UL)]
    [InlineData(3, 0.01, 5UL)]   // 0.03 rounds to 0: at least 1
    [InlineData(3, 0.99, 6UL)]   // 2.97 rounds to 3: at most 2
    public void Unstratified_test_rows_follow_the_rule(int count, double fraction, ulong seed)
    {
        var data = Datasets.Numbered(count);
        var (train, test) = DataSplit.TrainTest(data, fraction, seed, stratify: false);
        int[] expected = ExpectedTest(null, count, fraction, seed);
        Assert.Equal(expected, Ids(test));
        Assert.Equal(Enumerable.Range(0, count).Except(expected), Ids(train));
        Assert.Equal(Ids(test), Enumerable.Range(0, test.Count).Select(i => (int)test.Targets[i, 0]));
    }

    [Fact]
    public void Half_of_ten_rounds_away_from_zero_not_to_even()
    {
        // 10 · 0.25 = 2.5 → 3 test rows (banker's rounding would give 2); 10 · 0.45 = 4.5 → 5
        Assert.Equal(3, DataSplit.TrainTest(Datasets.Numbered(10), 0.25, 9, stratify: false).Test.Count);
        Assert.Equal(5, DataSplit.TrainTest(Datasets.Numbered(10), 0.45, 9, stratify: false).Test.Count);
        Assert.Equal(2, DataSplit.TrainTest(Datasets.Numbered(10), 0.24, 9, stratify: false).Test.Count);
    }

    [Theory]
    [InlineData(0.3, 11UL)]
    [InlineData(0.5, 12UL)]
    [InlineData(0.05, 13UL)]
    [InlineData(0.95, 14UL)]
    public void Stratified_test_rows_follow_the_rule_class_by_class(double fraction, ulong seed)
    {
        // classes first seen as 2, 0, 1 (ascending order is not first-seen order), sizes 9, 5, 2, and a class of one row
        int[] labels = [2, 0, 1, 2, 0, 2, 2, 0, 1, 2, 2, 0, 2, 2, 0, 2, 3];
        var data = Labelled(labels);
        var (train, test) = DataSplit.TrainTest(data, fraction, seed);
        int[] expected = ExpectedTest(labels, labels.Length, fraction, seed);
        Assert.Equal(expected, Ids(test));
        Assert.Equal(Enumerable.Range(0, labels.Length).Except(expected), Ids(train));
        Assert.Equal(expected.Select(i => (float)labels[i]), Enumerable.Range(0, test.Count).Select(i => test.Targets[i, 0]));
        Assert.Equal(data.ClassNames, train.ClassNames);
        Assert.Equal(data.FeatureNames, test.FeatureNames);
        Assert.Equal(data.Source, test.Source);
    }

    [Fact]
    public void Every_class_of_two_or_more_rows_is_on_both_sides()
    {
        int[] labels = [0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2];
        foreach (double fraction in new[] { 0.01, 0.2, 0.8, 0.99 })
        {
            var (train, test) = DataSplit.TrainTest(Labelled(labels), fraction, 3);
            for (int c = 0; c < 3; c++)
            {
                Assert.Contains(test.Targets.AsSpan().ToArray(), v => v == c);
                Assert.Contains(train.Targets.AsSpan().ToArray(), v => v == c);
            }
        }
    }

    [Fact]
    public void A_class_of_one_row_goes_to_test_from_half_up()
    {
        int[] labels = [0, 0, 0, 0, 1];
        var (_, test) = DataSplit.TrainTest(Labelled(labels), 0.5, 21);
        Assert.Contains(4, Ids(test)); // 1 · 0.5 = 0.5 rounds to 1
        var (train, _) = DataSplit.TrainTest(Labelled(labels), 0.45, 21);
        Assert.Contains(4, Ids(train)); // 0.45 rounds to 0
    }

    [Fact]
    public void Regression_and_unstratified_splits_ignore_the_targets()
    {
        var data = Datasets.Numbered(23);
        Assert.Equal(Ids(DataSplit.TrainTest(data, 0.3, 5, stratify: false).Test), Ids(DataSplit.TrainTest(data, 0.3, 5).Test));
        Assert.Equal(ExpectedTest(null, 23, 0.3, 5), Ids(DataSplit.TrainTest(data, 0.3, 5).Test));
        int[] labels = [1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0];
        Assert.Equal(ExpectedTest(null, labels.Length, 0.4, 8), Ids(DataSplit.TrainTest(Labelled(labels), 0.4, 8, stratify: false).Test));
    }

    [Fact]
    public void Too_few_rows_are_refused_naming_the_source()
    {
        var one = Datasets.Numbered(1);
        var e = Assert.Throws<DataFormatException>(() => DataSplit.TrainTest(one, 0.5, 1));
        Assert.Equal("memory: 1 rows are too few to hold out a fraction of 0.5.", e.Message);
        Assert.Null(e.Line);
        // one row per class, none of them reaching the test side
        var e2 = Assert.Throws<DataFormatException>(() => DataSplit.TrainTest(Labelled([0, 1, 2]), 0.25, 1));
        Assert.Contains("3 rows are too few to hold out a fraction of 0.25", e2.Message, StringComparison.Ordinal);
        Assert.StartsWith("labelled.csv: ", e2.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => DataSplit.TrainTest((Dataset)null!, 0.5, 1));
        Assert.Throws<ArgumentNullException>(() => DataSplit.TrainTest((DataTable)null!, 0.5, 1));
    }

    [Fact]
    public void A_table_splits_as_its_dataset_does()
    {
        int[] labels = [2, 0, 1, 2, 0, 2, 2, 0, 1, 2, 2, 0, 2, 2, 0, 2, 1];
        var data = Labelled(labels);
        var table = DataTable.FromDataset(data);
        foreach (bool stratify in new[] { true, false })
        {
            var (dataTrain, dataTest) = DataSplit.TrainTest(data, 0.3, 17, stratify);
            var (tableTrain, tableTest) = DataSplit.TrainTest(table, 0.3, 17, stratify);
            Assert.Equal(ExpectedTest(stratify ? labels : null, labels.Length, 0.3, 17), Ids(dataTest));
            Assert.Equal(dataTest.Features.AsSpan().ToArray(), tableTest.Numeric.AsSpan().ToArray());
            Assert.Equal(dataTrain.Features.AsSpan().ToArray(), tableTrain.Numeric.AsSpan().ToArray());
            Assert.Equal(dataTest.Targets.AsSpan().ToArray(), tableTest.Targets!.AsSpan().ToArray());
            Assert.Equal((dataTrain.Count, dataTest.Count), (tableTrain.Count, tableTest.Count));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.TrainTest(table, 1.0, 1));
    }

    [Fact]
    public void A_table_without_targets_splits_unstratified()
    {
        using var temp = new TempFolder();
        var sb = new StringBuilder("a,b\n");
        for (int i = 0; i < 12; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{i},{(i % 3 == 0 ? "x" : "y")}\n");
        var table = DataTable.ReadCsv(temp.Write(sb.ToString()), new TableOptions { TargetOptional = true, Target = "z" });
        Assert.Null(table.Targets);
        var (train, test) = DataSplit.TrainTest(table, 0.25, 4);
        int[] expected = ExpectedTest(null, 12, 0.25, 4);
        Assert.Equal(expected.Select(i => (float)i), Enumerable.Range(0, test.Count).Select(i => test.Numeric[i, 0]));
        Assert.Equal(12 - expected.Length, train.Count);
        Assert.Null(test.Targets);
        Assert.Equal(expected.Select(i => i % 3 == 0 ? 0 : 1), test.Codes);
    }
}
