namespace Engine.Data;

/// <summary>Seeded train/test splits; stratified ones keep each class's share in both parts.</summary>
public static class DataSplit
{
    /// <summary>
    /// Holds out about <paramref name="testFraction"/> of the rows (per class when <paramref name="stratify"/>
    /// and the data is classification). The same seed gives the same split. Row order within each part is the
    /// original order.
    /// </summary>
    public static (Dataset Train, Dataset Test) TrainTest(Dataset data, double testFraction, ulong seed, bool stratify = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (train, test) = Indices(data.Source, data.Count, stratify ? ClassesOf(data.Task, data.Targets) : null, testFraction, seed);
        return (data.Subset(train), data.Subset(test));
    }

    /// <summary>The same split of a table's rows (by its targets' classes when <paramref name="stratify"/>).</summary>
    public static (DataTable Train, DataTable Test) TrainTest(DataTable data, double testFraction, ulong seed, bool stratify = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (train, test) = Indices(data.Source, data.Count, stratify && data.Targets is { } t ? ClassesOf(data.Task, t) : null, testFraction, seed);
        return (data.Subset(train), data.Subset(test));
    }

    private static int[]? ClassesOf(TaskKind task, Matrix<float> targets) =>
        task == TaskKind.Classification ? [.. Enumerable.Range(0, targets.Rows).Select(i => (int)targets[i, 0])] : null;

    // Row indices of each part, each in the original order; per class when classes are given.
    private static (int[] Train, int[] Test) Indices(string source, int count, int[]? classes, double testFraction, ulong seed)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, $"testFraction must be in (0, 1), got {testFraction}.");
        var rng = new Rng(seed);
        var isTest = new bool[count];
        if (classes is not null)
        {
            foreach (var group in Enumerable.Range(0, count).GroupBy(i => classes[i]).OrderBy(g => g.Key))
                MarkTest(group.ToArray(), testFraction, rng, isTest);
        }
        else
        {
            MarkTest([.. Enumerable.Range(0, count)], testFraction, rng, isTest);
        }
        int[] train = [.. Enumerable.Range(0, count).Where(i => !isTest[i])];
        int[] test = [.. Enumerable.Range(0, count).Where(i => isTest[i])];
        if (train.Length == 0 || test.Length == 0)
            throw new DataFormatException(source, null, null, $"{count} rows are too few to hold out a fraction of {testFraction.ToString(CultureInfo.InvariantCulture)}.");
        return (train, test);
    }

    private static void MarkTest(int[] rows, double fraction, Rng rng, bool[] isTest)
    {
        rng.Shuffle(rows.AsSpan());
        int count = (int)Math.Round(rows.Length * fraction, MidpointRounding.AwayFromZero);
        if (rows.Length >= 2)
            count = Math.Clamp(count, 1, rows.Length - 1); // every class on both sides when it can be
        for (int i = 0; i < count; i++)
            isTest[rows[i]] = true;
    }
}
