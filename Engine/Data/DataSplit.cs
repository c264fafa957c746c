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
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, $"testFraction must be in (0, 1), got {testFraction}.");
        var rng = new Rng(seed);
        var isTest = new bool[data.Count];
        if (stratify && data.Task == TaskKind.Classification)
        {
            foreach (var group in Enumerable.Range(0, data.Count).GroupBy(i => (int)data.Targets[i, 0]).OrderBy(g => g.Key))
                MarkTest(group.ToArray(), testFraction, rng, isTest);
        }
        else
        {
            MarkTest([.. Enumerable.Range(0, data.Count)], testFraction, rng, isTest);
        }
        int[] train = [.. Enumerable.Range(0, data.Count).Where(i => !isTest[i])];
        int[] test = [.. Enumerable.Range(0, data.Count).Where(i => isTest[i])];
        if (train.Length == 0 || test.Length == 0)
            throw new ArgumentException($"{data.Source}: {data.Count} rows are too few to hold out a fraction of {testFraction}.", nameof(data));
        return (data.Subset(train), data.Subset(test));
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
