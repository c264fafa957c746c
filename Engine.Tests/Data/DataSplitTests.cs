namespace Engine.Tests.Data;

public class DataSplitTests
{
    private static int[] Labels(params int[] perClass) =>
        [.. perClass.SelectMany((n, c) => Enumerable.Repeat(c, n))];

    private static int[] RowIds(Dataset part) => [.. Enumerable.Range(0, part.Count).Select(i => (int)part.Features[i, 0])];

    [Fact]
    public void Sizes_are_right_and_parts_are_disjoint_and_cover()
    {
        var data = Datasets.Numbered(101);
        var (train, test) = DataSplit.TrainTest(data, 0.2, seed: 3);
        Assert.Equal(20, test.Count);
        Assert.Equal(81, train.Count);
        int[] a = RowIds(train), b = RowIds(test);
        Assert.Empty(a.Intersect(b));
        Assert.Equal(Enumerable.Range(0, 101), a.Concat(b).Order());
        Assert.Equal(a.Order(), a); // original order kept within each part
        Assert.Equal(b.Order(), b);
        for (int i = 0; i < test.Count; i++)
            Assert.Equal(test.Features[i, 0], test.Targets[i, 0]); // rows keep their targets
    }

    [Fact]
    public void Stratified_split_keeps_class_proportions()
    {
        int[] perClass = [50, 30, 13, 7];
        var data = Datasets.Classification(Labels(perClass), seed: 4);
        const double fraction = 0.25;
        var (train, test) = DataSplit.TrainTest(data, fraction, seed: 9);
        int[] testCounts = CsvDatasetFileTests.ClassCounts(test);
        int[] trainCounts = CsvDatasetFileTests.ClassCounts(train);
        for (int c = 0; c < perClass.Length; c++)
        {
            Assert.InRange(testCounts[c], (perClass[c] * fraction) - 1, (perClass[c] * fraction) + 1);
            Assert.Equal(perClass[c], testCounts[c] + trainCounts[c]);
        }
        Assert.Equal(data.ClassNames, test.ClassNames);
    }

    [Fact]
    public void Stratified_split_keeps_every_class_on_both_sides()
    {
        var data = Datasets.Classification(Labels(40, 2), seed: 5);
        var (train, test) = DataSplit.TrainTest(data, 0.1, seed: 1);
        Assert.All(CsvDatasetFileTests.ClassCounts(test), n => Assert.True(n >= 1));
        Assert.All(CsvDatasetFileTests.ClassCounts(train), n => Assert.True(n >= 1));
    }

    [Fact]
    public void Same_seed_same_split_other_seed_other_split()
    {
        var data = Datasets.Numbered(200);
        var (_, a) = DataSplit.TrainTest(data, 0.3, seed: 42);
        var (_, b) = DataSplit.TrainTest(data, 0.3, seed: 42);
        var (_, c) = DataSplit.TrainTest(data, 0.3, seed: 43);
        Assert.Equal(RowIds(a), RowIds(b));
        Assert.NotEqual(RowIds(a), RowIds(c));

        var labelled = Datasets.Classification(Labels(60, 60, 60));
        Assert.Equal(RowIdsByFeature(DataSplit.TrainTest(labelled, 0.3, 7).Test), RowIdsByFeature(DataSplit.TrainTest(labelled, 0.3, 7).Test));
        Assert.NotEqual(RowIdsByFeature(DataSplit.TrainTest(labelled, 0.3, 7).Test), RowIdsByFeature(DataSplit.TrainTest(labelled, 0.3, 8).Test));
    }

    private static float[] RowIdsByFeature(Dataset part) => [.. Enumerable.Range(0, part.Count).Select(i => part.Features[i, 1])];

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Bad_fraction_throws_naming_the_parameter(double fraction)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.TrainTest(Datasets.Numbered(10), fraction, 1));
        Assert.Equal("testFraction", e.ParamName);
        Assert.StartsWith("testFraction must be in (0, 1), got ", e.Message, StringComparison.Ordinal);
    }
}
