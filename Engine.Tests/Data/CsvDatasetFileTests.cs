namespace Engine.Tests.Data;

/// <summary>The datasets shipped in data/ and the shared Fashion-MNIST files load with the right shapes, labels and values.</summary>
public class CsvDatasetFileTests
{
    public static TheoryData<string, int, int, string, TaskKind, string[], int[], string> Files => new()
    {
        { "iris.csv", 150, 4, "species", TaskKind.Classification, ["setosa", "versicolor", "virginica"], [50, 50, 50], "5.1,3.5,1.4,0.2" },
        { "wine.csv", 178, 13, "cultivar", TaskKind.Classification, ["0", "1", "2"], [59, 71, 48], "14.23,1.71,2.43,15.6,127,2.8,3.06,0.28,2.29,5.64,1.04,3.92,1065" },
        { "breast_cancer.csv", 569, 30, "diagnosis", TaskKind.Classification, ["benign", "malignant"], [357, 212],
            "17.99,10.38,122.8,1001,0.1184,0.2776,0.3001,0.1471,0.2419,0.07871,1.095,0.9053,8.589,153.4,0.006399,0.04904,0.05373,0.01587,0.03003,0.006193,25.38,17.33,184.6,2019,0.1622,0.6656,0.7119,0.2654,0.4601,0.1189" },
        { "digits.csv", 1797, 64, "digit", TaskKind.Classification, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], [178, 182, 177, 183, 181, 182, 181, 179, 174, 180],
            "0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0" },
        { "diabetes.csv", 442, 10, "progression", TaskKind.Regression, [], [], "59,2,32.1,101,157,93.2,38,4,4.8598,87" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Loads_shipped_file(string file, int rows, int features, string target, TaskKind task, string[] classes, int[] counts, string firstRow)
    {
        var data = CsvDataset.Load(DataFiles.Small(file));

        Assert.Equal(rows, data.Count);
        Assert.Equal(features, data.Features.Cols);
        Assert.Equal(features, data.FeatureNames.Count);
        Assert.Equal(target, data.TargetName);
        Assert.Equal(task, data.Task);
        float[] expected = [.. firstRow.Split(',').Select(s => float.Parse(s, CultureInfo.InvariantCulture))];
        Assert.Equal(expected, data.Features.Row(0).ToArray());
        if (task == TaskKind.Classification)
        {
            Assert.Equal(classes, data.ClassNames);
            Assert.Equal(counts, ClassCounts(data));
        }
        else
        {
            Assert.Null(data.ClassNames);
            Assert.Equal(151f, data.Targets[0, 0]);
        }
    }

    [Fact]
    public void Iris_first_and_last_rows_have_their_classes()
    {
        var data = CsvDataset.Load(DataFiles.Small("iris.csv"));
        Assert.Equal(0f, data.Targets[0, 0]);
        Assert.Equal(2f, data.Targets[data.Count - 1, 0]);
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width"], data.FeatureNames);
    }

    [RequiresDatasetFact("fashion-mnist-test.csv.gz")]
    public void Loads_fashion_mnist_test_split()
    {
        var data = CsvDataset.Load(DataFiles.Shared("fashion-mnist-test.csv.gz")!, new CsvLoadOptions { Target = "label" });

        Assert.Equal(10000, data.Count);
        Assert.Equal(784, data.Features.Cols);
        Assert.Equal("label", data.TargetName);
        Assert.Equal("pixel1", data.FeatureNames[0]);
        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal([.. Enumerable.Range(0, 10).Select(c => c.ToString(CultureInfo.InvariantCulture))], data.ClassNames);
        Assert.All(ClassCounts(data), n => Assert.Equal(1000, n));
        Assert.InRange(data.Features.AsSpan().ToArray().Max(), 200f, 255f);
        Assert.Equal(0f, data.Features.AsSpan().ToArray().Min());
    }

    internal static int[] ClassCounts(Dataset data)
    {
        var counts = new int[data.ClassCount];
        for (int i = 0; i < data.Count; i++)
            counts[(int)data.Targets[i, 0]]++;
        return counts;
    }
}
