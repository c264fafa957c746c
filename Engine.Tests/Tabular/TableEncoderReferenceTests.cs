namespace Engine.Tests.Tabular;

/// <summary>
/// <see cref="TableEncoder"/> against a naive reference computed in double from the raw table (a sort for each
/// median, the mean and population standard deviation of the imputed column, the one-hot layout laid out by hand), on
/// a hand table and on tables past its parallel thresholds (16 columns a block for the medians, 512 rows a block for
/// imputing and scaling), with and without missing values; the input names, the unused one-hot slots silenced, the
/// columns matched by name whatever their order, and the messages of a column that is missing or of another kind.
/// </summary>
public class TableEncoderReferenceTests
{
    // A table as DataTable.ReadCsv would build it: numeric columns (NaN missing), categorical codes (−1 missing), levels.
    internal static DataTable Table(string[] numericNames, float[][] numeric, string[] categoricalNames, int[][] codes, string[][] levels,
        float[]? targets = null, string source = "hand", int rows = -1)
    {
        int count = rows >= 0 ? rows : numeric.Length > 0 ? numeric[0].Length : codes[0].Length;
        var x = new Matrix<float>(count, numericNames.Length);
        for (int j = 0; j < numericNames.Length; j++)
        {
            for (int i = 0; i < count; i++)
                x[i, j] = numeric[j][i];
        }
        int[] flat = new int[count * categoricalNames.Length];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < categoricalNames.Length; j++)
                flat[i * categoricalNames.Length + j] = codes[j][i];
        }
        ColumnSchema[] columns =
        [
            .. numericNames.Select(n => new ColumnSchema(n, ColumnKind.Numeric, 0, 0, [], "numbers")),
            .. categoricalNames.Select(n => new ColumnSchema(n, ColumnKind.Categorical, 0, 0, [], "text")),
        ];
        var target = targets is null
            ? new TargetColumn(null, null, TaskKind.Regression, null, "no target", 0)
            : new TargetColumn("y", Column(targets), TaskKind.Regression, null, "numbers", 0);
        return new DataTable(source, count, columns, [], x, flat, [.. levels.Select(l => (IReadOnlyList<string>)l)], target);
    }

    private static Matrix<float> Column(float[] values)
    {
        var m = new Matrix<float>(values.Length, 1);
        values.AsSpan().CopyTo(m.AsSpan());
        return m;
    }

    // The naive median: sort the present values; the middle one, or the mean of the middle two in double; 0 if none.
    private static float NaiveMedian(IEnumerable<float> column)
    {
        float[] v = [.. column.Where(f => !float.IsNaN(f)).Order()];
        if (v.Length == 0)
            return 0;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (float)(((double)v[v.Length / 2 - 1] + v[v.Length / 2]) / 2);
    }

    private static float[] ColumnOf(DataTable t, int j) => [.. Enumerable.Range(0, t.Count).Select(i => t.Numeric[i, j])];

    // The reference encoding of `rows` with the encoding fitted on `train`: everything recomputed from the raw values.
    private static double[,] NaiveEncode(DataTable train, DataTable rows, string scaler, int minLevelCount, bool oneHot)
    {
        int nNumeric = train.NumericColumns.Count;
        var medians = new float[nNumeric];
        var offset = new double[nNumeric];
        var scale = new double[nNumeric];
        var indicator = new List<int>();
        for (int j = 0; j < nNumeric; j++)
        {
            float[] raw = ColumnOf(train, j);
            medians[j] = NaiveMedian(raw);
            if (raw.Any(float.IsNaN))
                indicator.Add(j);
            double[] imputed = [.. raw.Select(v => (double)(float.IsNaN(v) ? medians[j] : v))];
            if (scaler == "standard")
            {
                double mean = imputed.Average();
                double std = Math.Sqrt(imputed.Sum(v => (v - mean) * (v - mean)) / imputed.Length);
                (offset[j], scale[j]) = (mean, std > 1e-12 ? 1 / std : 1);
            }
            else if (scaler == "minmax")
            {
                double range = imputed.Max() - imputed.Min();
                (offset[j], scale[j]) = (imputed.Min(), range > 0 ? 1 / range : 1);
            }
            else
            {
                (offset[j], scale[j]) = (0, 1);
            }
        }
        // kept levels per categorical column, in the training table's level order
        var kept = new List<string[]>();
        for (int j = 0; j < train.CategoricalCount; j++)
        {
            var counts = new int[train.Levels[j].Count];
            for (int i = 0; i < train.Count; i++)
            {
                if (train.Codes[i * train.CategoricalCount + j] is int c and >= 0)
                    counts[c]++;
            }
            kept.Add([.. train.Levels[j].Where((_, k) => counts[k] >= minLevelCount)]);
        }
        int width = nNumeric + indicator.Count + (oneHot ? kept.Sum(k => k.Length + 2) : kept.Count);
        var x = new double[rows.Count, width];
        // where each of the model's columns is in `rows`, by name
        int[] numericFrom = [.. train.NumericColumns.Select(c => rows.NumericColumns.Select(r => r.Name).ToList().IndexOf(c.Name))];
        int[] categoricalFrom = [.. train.CategoricalColumns.Select(c => rows.CategoricalColumns.Select(r => r.Name).ToList().IndexOf(c.Name))];
        for (int i = 0; i < rows.Count; i++)
        {
            for (int j = 0; j < nNumeric; j++)
            {
                float v = rows.Numeric[i, numericFrom[j]];
                x[i, j] = ((float.IsNaN(v) ? medians[j] : v) - offset[j]) * scale[j];
            }
            for (int k = 0; k < indicator.Count; k++)
            {
                x[i, nNumeric + k] = float.IsNaN(rows.Numeric[i, numericFrom[indicator[k]]]) ? 1 : 0;
            }
            int at = nNumeric + indicator.Count;
            for (int j = 0; j < kept.Count; j++)
            {
                int from = categoricalFrom[j];
                int code = rows.Codes[i * rows.CategoricalCount + from];
                int slot = code < 0 ? kept[j].Length + 1 : Array.IndexOf(kept[j], rows.Levels[from][code]) is int s and >= 0 ? s : kept[j].Length;
                if (oneHot)
                {
                    x[i, at + slot] = 1;
                    at += kept[j].Length + 2;
                }
                else
                {
                    x[i, at++] = slot;
                }
            }
        }
        return x;
    }

    private static void AssertClose(double[,] expected, Matrix<float> actual)
    {
        Assert.Equal(expected.GetLength(0), actual.Rows);
        Assert.Equal(expected.GetLength(1), actual.Cols);
        for (int i = 0; i < actual.Rows; i++)
        {
            for (int j = 0; j < actual.Cols; j++)
            {
                double e = expected[i, j];
                if (!(Math.Abs(e - actual[i, j]) <= 1e-5 * Math.Max(1, Math.Abs(e))))
                    Assert.Fail($"[{i}, {j}]: expected {e}, got {actual[i, j]}");
            }
        }
    }

    // 10 rows. a: complete (even count); b: 3 missing (7 present, odd); c: every value missing; d: constant.
    // colour: red ×4, green ×3, mauve ×1 (rare at 2), 2 missing; size: S ×6, M ×4, never missing.
    private static DataTable Hand(string source = "hand") => Table(
        ["a", "b", "c", "d"],
        [
            [4, -1, 2.5f, 9, 0, 7, 3, 3, 12, -6],
            [3, float.NaN, 1, 7, float.NaN, 5, 2, 8, float.NaN, 4],
            [.. Enumerable.Repeat(float.NaN, 10)],
            [.. Enumerable.Repeat(2f, 10)],
        ],
        ["colour", "size"],
        [
            [0, 1, 0, -1, 2, 1, 0, 1, -1, 0],
            [0, 0, 1, 0, 1, 0, 1, 0, 0, 1],
        ],
        [["red", "green", "mauve"], ["S", "M"]],
        source: source);

    [Fact]
    public void TheHandTablesMediansIndicatorsLevelsAndScalerAreTheNaiveOnes()
    {
        var table = Hand();
        var encoder = TableEncoder.Fit(table, "standard", minLevelCount: 2);
        var columns = encoder.Encoding.Columns;
        Assert.Equal(["a", "b", "c", "d", "colour", "size"], columns.Select(c => c.Name));
        // a sorted: −6 −1 0 2.5 3 3 4 7 9 12 → (3 + 3) / 2; b sorted: 1 2 3 4 5 7 8 → 4; c: nothing present → 0
        Assert.Equal([3f, 4f, 0f, 2f], columns.Take(4).Select(c => c.Median));
        Assert.Equal([false, true, true, false], columns.Take(4).Select(c => c.Indicator));
        Assert.Equal(["red", "green"], columns[4].Levels!);  // mauve is on 1 row, below 2
        Assert.Equal(["S", "M"], columns[5].Levels!);
        Assert.Equal(2, encoder.Encoding.MinLevelCount);
        Assert.Equal(4 + 2, encoder.NumericWidth);
        Assert.Equal([4, 4], encoder.LevelCounts);
        Assert.Equal(4 + 2 + 4 + 4, encoder.Width);

        // the scaler of the imputed columns: b's three missing values count as its median 4
        var state = encoder.ScalerState!;
        Assert.Equal("standard", state.Kind);
        double[] b = [3, 4, 1, 7, 4, 5, 2, 8, 4, 4];
        double meanB = b.Average(), stdB = Math.Sqrt(b.Sum(v => (v - meanB) * (v - meanB)) / b.Length);
        Assert.Equal(3.35, state.Offset[0], 6);
        Assert.Equal(meanB, state.Offset[1], 6);
        Assert.Equal(1 / stdB, state.Scale[1], 6);
        Assert.Equal([0f, 2f], new[] { state.Offset[2], state.Offset[3] }); // c imputed to 0 everywhere, d constant
        Assert.Equal([1f, 1f], new[] { state.Scale[2], state.Scale[3] });   // constant columns keep scale 1

        foreach (bool oneHot in new[] { true, false })
            AssertClose(NaiveEncode(table, table, "standard", 2, oneHot), encoder.Encode(table, oneHot));
    }

    [Fact]
    public void TheHandTablesOneHotRowsAreLaidOutAsDocumented()
    {
        var table = Hand();
        var encoder = TableEncoder.Fit(table, "none", minLevelCount: 2);
        Assert.Null(encoder.ScalerState);
        var x = encoder.Encode(table, oneHot: true);
        // a, b, c, d, b (missing), c (missing), colour=red, colour=green, colour (other), colour (missing), size=S, size=M, size (other), size (missing)
        Assert.Equal([4, 3, 0, 2, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0], x.Row(0).ToArray());
        Assert.Equal([-1, 4, 0, 2, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0], x.Row(1).ToArray());
        Assert.Equal([9, 7, 0, 2, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0], x.Row(3).ToArray());
        Assert.Equal([0, 4, 0, 2, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0], x.Row(4).ToArray()); // mauve is rare: other
        var compact = encoder.Encode(table, oneHot: false);
        Assert.Equal([0, 4, 0, 2, 1, 1, 2, 1], compact.Row(4).ToArray());
        Assert.Equal([9, 7, 0, 2, 0, 1, 3, 0], compact.Row(3).ToArray());

        Assert.Equal(
            ["a", "b", "c", "d", "b (missing)", "c (missing)", "colour=red", "colour=green", "colour (other)", "colour (missing)",
             "size=S", "size=M", "size (other)", "size (missing)"],
            encoder.InputNames(oneHot: true));
        Assert.Equal(["a", "b", "c", "d", "b (missing)", "c (missing)", "colour", "size"], encoder.InputNames(oneHot: false));
    }

    [Fact]
    public void OtherRowsAreEncodedWithTheTrainingParametersMatchingColumnsByName()
    {
        var train = Hand();
        // new rows: columns in another order, an extra numeric column, levels never seen, a value missing where training had none
        var rows = Table(
            ["extra", "d", "c", "b", "a"],
            [[1, 2, 3], [2, 5, float.NaN], [8, float.NaN, 1], [float.NaN, 100, -3], [float.NaN, 50, 1]],
            ["size", "colour"],
            [[2, -1, 0], [0, 1, 2]],
            [["M", "XL", "S"], ["mauve", "green", "purple"]],
            source: "new");
        foreach (string scaler in new[] { "standard", "minmax", "none" })
        {
            var encoder = TableEncoder.Fit(train, scaler, minLevelCount: 2);
            foreach (bool oneHot in new[] { true, false })
            {
                AssertClose(NaiveEncode(train, rows, scaler, 2, oneHot), encoder.Encode(rows, oneHot));
                AssertClose(NaiveEncode(train, train, scaler, 2, oneHot), encoder.Encode(train, oneHot));
            }
        }
    }

    [Theory]
    [InlineData(new[] { 1, 0 })]    // no column in place
    [InlineData(new[] { 0, 2, 1 })] // one in place, two swapped
    [InlineData(new[] { 0, 1, -1 })] // in place but with an extra column after them
    [InlineData(new[] { -1, 0, 1 })] // an extra column before them
    public void AnAllNumericTableIsReadByNameWhateverTheOrder(int[] order)
    {
        // three (or two) numeric columns p, q, r without missing values: the model's order is the training table's
        string[] names = ["p", "q", "r"];
        int n = order.Count(o => o >= 0);
        float[][] values = [[1, 5, 2, 8], [10, 30, 20, 40], [-1, -2, -8, -4]];
        var train = Table([.. names.Take(n)], [.. values.Take(n)], [], [], []);
        var rows = Table([.. order.Select(o => o >= 0 ? names[o] : "extra")], [.. order.Select(o => o >= 0 ? values[o] : [7f, 7f, 7f, 7f])], [], [], []);
        var encoder = TableEncoder.Fit(train, "minmax", minLevelCount: 1);
        AssertClose(NaiveEncode(train, rows, "minmax", 1, oneHot: true), encoder.Encode(rows, oneHot: true));
    }

    [Fact]
    public void TablesOfOnlyOneKindAreEncodedAsTheNaiveReference()
    {
        // numbers only, with missing values: the numeric columns and their indicators, no scaler fitted on NaN
        var numbers = Table(["a", "b"], [[1, float.NaN, 3, 10], [5, 6, 7, 8]], [], [], []);
        var encoder = TableEncoder.Fit(numbers, "standard", minLevelCount: 1);
        Assert.Equal(3, encoder.Width);
        AssertClose(NaiveEncode(numbers, numbers, "standard", 1, oneHot: true), encoder.Encode(numbers, oneHot: true));

        // text only: no scaler at all
        var text = Table([], [], ["k"], [[0, 1, 1, -1]], [["p", "q"]]);
        encoder = TableEncoder.Fit(text, "standard", minLevelCount: 1);
        Assert.Null(encoder.ScalerState);
        Assert.Equal(0, encoder.NumericWidth);
        AssertClose(NaiveEncode(text, text, "standard", 1, oneHot: true), encoder.Encode(text, oneHot: true));
        Assert.Equal([0, 1, 1, 3], encoder.Encode(text, oneHot: false).AsSpan().ToArray());
    }

    // rows × cols numeric values: small integers (long runs of equal values) in even columns, spread values in odd ones;
    // with missing values in some columns when asked, one column missing throughout and one constant.
    private static DataTable Wide(int rows, int cols, bool missing, ulong seed)
    {
        var rng = new Rng(seed);
        var numeric = new float[cols][];
        for (int j = 0; j < cols; j++)
        {
            numeric[j] = new float[rows];
            for (int i = 0; i < rows; i++)
            {
                double u = rng.NextDouble();
                numeric[j][i] = j % 2 == 0 ? (float)Math.Floor(u * 4) : (float)(rng.NextNormal() * (j + 1) + j);
                if (missing && j % 3 == 1 && u < 0.1)
                    numeric[j][i] = float.NaN;
                if (j == cols - 2)
                    numeric[j][i] = 3.5f;
                if (missing && j == cols - 1)
                    numeric[j][i] = float.NaN;
            }
        }
        if (missing)
            numeric[4][rows / 2] = float.NaN; // one missing value: an odd count of the rest when rows is even
        int[] codes = [.. Enumerable.Range(0, rows).Select(i => missing && i % 11 == 0 ? -1 : (int)(rng.NextDouble() * 5))];
        return Table([.. Enumerable.Range(0, cols).Select(j => $"x{j}")], numeric, ["k"], [codes], [["a", "b", "c", "d", "e"]],
            [.. Enumerable.Range(0, rows).Select(i => (float)i)]);
    }

    [Theory]
    [InlineData(1030, 33, true)]  // 3 blocks of columns (the last of 1), 3 blocks of rows (the last of 6)
    [InlineData(1030, 33, false)] // no missing value: the scaler is fitted on the table itself
    [InlineData(513, 16, true)]   // one full block of columns; one row past a block of rows
    [InlineData(7, 17, false)]    // one column past a block, fewer rows than a block
    public void PastTheParallelThresholdsTheEncodingIsStillTheNaiveOne(int rows, int cols, bool missing)
    {
        var table = Wide(rows, cols, missing, seed: (ulong)(rows + cols));
        var before = table.Numeric.AsSpan().ToArray();
        var encoder = TableEncoder.Fit(table, "standard", minLevelCount: 1);
        Assert.True(before.AsSpan().SequenceEqual(table.Numeric.AsSpan()), "fitting changed the table"); // NaN equals NaN here

        var numeric = encoder.Encoding.Columns.Where(c => c.Kind == ColumnKind.Numeric).ToArray();
        Assert.Equal(cols, numeric.Length);
        for (int j = 0; j < cols; j++)
        {
            float[] raw = ColumnOf(table, j);
            Assert.Equal(NaiveMedian(raw), numeric[j].Median);
            Assert.Equal(raw.Any(float.IsNaN), numeric[j].Indicator);
        }
        foreach (bool oneHot in new[] { true, false })
            AssertClose(NaiveEncode(table, table, "standard", 1, oneHot), encoder.Encode(table, oneHot));
    }

    [Fact]
    public void EveryRowOfFourMillionIsEncoded()
    {
        // 2^22 rows, 8,192 blocks of 512: the block count must stay a count (511 more rows times 512 would not fit an int)
        const int Rows = 1 << 22;
        var x = new Matrix<float>(Rows, 1);
        for (int i = 0; i < Rows; i++)
            x[i, 0] = i + 1; // whole numbers up to 2^22: exact in float, none 0
        var table = new DataTable("big", Rows, [new ColumnSchema("x", ColumnKind.Numeric, 0, 0, [], "numbers")], [], x, [], [],
            new TargetColumn(null, null, TaskKind.Regression, null, "no target", 0));
        // an old file's encoder: every feature numeric, no indicator, no scaler, so the encoding is the column itself
        var encoder = TableEncoder.FromMetadata(new ModelMetadata(TaskKind.Regression, ["x"], "y"));
        var encoded = encoder.Encode(table, oneHot: true);
        Assert.Equal((Rows, 1), (encoded.Rows, encoded.Cols));
        Assert.Equal(1f, encoded[0, 0]);
        Assert.Equal((float)Rows, encoded[Rows - 1, 0]);
        Assert.True(x.AsSpan().SequenceEqual(encoded.AsSpan()));
    }

    [Fact]
    public void TheMedianIsTheMiddleOfTheSortedValues()
    {
        var rng = new Rng(11);
        foreach (int n in new[] { 1, 2, 3, 4, 5, 8, 9, 31, 64, 101, 1000 })
        {
            foreach (int distinct in new[] { 1, 2, 3, 1_000_000 })
            {
                float[] values = [.. Enumerable.Range(0, n).Select(_ => (float)Math.Floor(rng.NextDouble() * distinct) - distinct / 2)];
                float[] sorted = [.. values.Order()];
                float expected = n % 2 == 1 ? sorted[n / 2] : (float)(((double)sorted[n / 2 - 1] + sorted[n / 2]) / 2);
                Assert.Equal(expected, TableEncoder.Median(values));
                Assert.Equal(sorted, values.Order().ToArray()); // reordered, not changed
            }
        }
        // sorted, reversed and organ-pipe inputs, and the middle two's mean taken in double (not rounded in float first)
        float[] ascending = [.. Enumerable.Range(0, 100).Select(i => (float)i)];
        Assert.Equal(49.5f, TableEncoder.Median([.. ascending]));
        Assert.Equal(49.5f, TableEncoder.Median([.. ascending.Reverse()]));
        Assert.Equal(49.5f, TableEncoder.Median([.. ascending.Where(i => i % 2 == 0), .. ascending.Where(i => i % 2 == 1).Reverse()]));
        Assert.Equal(float.MaxValue, TableEncoder.Median([float.MaxValue, float.MaxValue]));
    }

    [Fact]
    public void TheOneHotInputsNoTrainingRowUsesAreSilencedAndTheOthersKept()
    {
        // b has missing values (an indicator input); colour: a rare level (other used), never missing; size: missing
        // on some rows, no rare level (other unused)
        var table = Table(
            ["a", "b"],
            [[1, 2, 3, 4, 5, 6], [1, float.NaN, 3, 4, 5, 6]],
            ["colour", "size"],
            [[0, 0, 1, 1, 2, 0], [0, 1, -1, 0, 1, 1]],
            [["p", "q", "r"], ["u", "v"]]);
        var encoder = TableEncoder.Fit(table, "standard", minLevelCount: 2);
        Assert.Equal(3, encoder.NumericWidth);
        var network = Mlp.Create(encoder.Width, [5], 1, seed: 3);
        var weight = network.Layers[0].Parameters[0].Value;
        var before = weight.AsSpan().ToArray();
        encoder.SilenceUnusedSlots(network, table);

        // inputs: a, b, b (missing), colour=p, colour=q, colour (other), colour (missing), size=u, size=v, size (other), size (missing)
        int[] silenced = [6, 9];
        for (int o = 0; o < weight.Rows; o++)
        {
            for (int k = 0; k < weight.Cols; k++)
            {
                float expected = silenced.Contains(k) ? 0 : before[o * weight.Cols + k];
                Assert.Equal(expected, weight[o, k]);
            }
        }
        Assert.All(Enumerable.Range(0, weight.Cols).Except(silenced), k => Assert.NotEqual(0f, weight[0, k]));

        // an all-numeric encoder changes nothing
        var numeric = TableEncoder.Fit(Table(["a"], [[1, 2, 3]], [], [], []), "standard", 1);
        var small = Mlp.Create(1, [2], 1, seed: 3);
        var w = small.Layers[0].Parameters[0].Value.AsSpan().ToArray();
        numeric.SilenceUnusedSlots(small, Table(["a"], [[1, 2, 3]], [], [], []));
        Assert.Equal(w, small.Layers[0].Parameters[0].Value.AsSpan().ToArray());
    }

    [Fact]
    public void AColumnTheModelReadsIsNamedWhenMissingOrOfTheOtherKind()
    {
        var encoder = TableEncoder.Fit(Hand(), "standard", minLevelCount: 2);
        var noB = Table(["a", "c", "d"], [[1], [1], [1]], ["colour", "size"], [[0], [0]], [["red"], ["S"]], source: "rows.csv");
        var e = Assert.Throws<IncompatibleDataException>(() => encoder.Encode(noB, oneHot: true));
        Assert.Equal("rows.csv: the model reads column 'b' as numeric, but it is not among its columns.", e.Message);

        var colourNumeric = Table(["a", "b", "c", "d", "colour"], [[1], [1], [1], [1], [1]], ["size"], [[0]], [["S"]], source: "rows.csv");
        e = Assert.Throws<IncompatibleDataException>(() => encoder.Encode(colourNumeric, oneHot: false));
        Assert.Equal("rows.csv: the model reads column 'colour' as categorical, but it is numeric there (numbers).", e.Message);

        var bText = Table(["a", "c", "d"], [[1], [1], [1]], ["b", "colour", "size"], [[0], [0], [0]], [["x"], ["red"], ["S"]], source: "rows.csv");
        e = Assert.Throws<IncompatibleDataException>(() => encoder.Encode(bText, oneHot: true));
        Assert.Equal("rows.csv: the model reads column 'b' as numeric, but it is categorical there (text).", e.Message);

        Assert.Throws<ArgumentNullException>(() => encoder.Encode(null!, oneHot: true));
        Assert.Throws<ArgumentNullException>(() => TableEncoder.Fit(null!, "standard", 1));
        Assert.Throws<ArgumentNullException>(() => TableEncoder.FromMetadata(null!));
    }
}
