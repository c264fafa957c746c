namespace Engine.Tests.Tabular;

/// <summary>
/// Everything the encoding learns from data — the feature scaler, the medians that fill missing values, the target
/// scaler — comes from the training rows only, never from test or validation rows. Expected values are computed here,
/// by hand, from the rows the split gives for training; each case checks that they differ from the all-rows values,
/// so a scaler fitted on all rows fails.
/// </summary>
public class LeakageTests
{
    // 60 rows of a regression table: a = i² / 10 (skewed, so any subset has its own mean), b with missing values
    private static Dataset Table(int rows, double shift = 0)
    {
        var x = new Matrix<float>(rows, 2);
        var y = new Matrix<float>(rows, 1);
        for (int i = 0; i < rows; i++)
        {
            x[i, 0] = (float)(i * i / 10.0 + shift);
            x[i, 1] = i % 7 == 3 ? float.NaN : (float)(Math.Sin(i) * 5 + shift);
            y[i, 0] = (float)(3 * i + shift);
        }
        return new Dataset(x, y, ["a", "b"], "y", TaskKind.Regression, null, "made up");
    }

    private static double[] Column(Matrix<float> m, int j) =>
        [.. Enumerable.Range(0, m.Rows).Select(i => (double)m[i, j]).Where(v => !double.IsNaN(v))];

    private static (double Mean, double Std) MeanStd(double[] v)
    {
        double mean = v.Average();
        return (mean, Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Average()));
    }

    private static double Median(double[] v)
    {
        double[] s = [.. v.Order()];
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>The model's scaler, medians and target scaler equal those of <paramref name="train"/>'s rows, and not those of <paramref name="all"/>.</summary>
    private static void AssertFittedOn(TabularModel model, Matrix<float> train, Matrix<float> trainTargets, Matrix<float> all)
    {
        var scaler = model.Metadata.FeatureScaler!;
        Assert.Equal("standard", scaler.Kind);
        var columns = model.Metadata.Encoding!.Columns;
        for (int j = 0; j < 2; j++)
        {
            // the scaler sees the column after imputation: missing values filled with the training median
            double trainMedian = Median(Column(train, j));
            double[] imputed = [.. Enumerable.Range(0, train.Rows).Select(i => float.IsNaN(train[i, j]) ? trainMedian : train[i, j])];
            var (mean, std) = MeanStd(imputed);
            Assert.Equal(mean, scaler.Offset[j], 3e-6 * Math.Max(1, Math.Abs(mean)));
            Assert.Equal(1 / std, scaler.Scale[j], 3e-6 / std);
            Assert.True(Math.Abs(MeanStd(Column(all, j)).Mean - mean) > 1e-3, $"column {j}: the training rows' mean is the all-rows mean, the case cannot tell");
            Assert.Equal(trainMedian, columns[j].Median, 1e-6 * Math.Max(1, Math.Abs(trainMedian)));
        }
        Assert.True(Enumerable.Range(0, 2).Any(j => Math.Abs(Median(Column(all, j)) - Median(Column(train, j))) > 1e-3), "the training rows' medians are the all-rows medians");
        var (targetMean, targetStd) = MeanStd(Column(trainTargets, 0));
        Assert.Equal(targetMean, model.Metadata.TargetScaler!.Offset[0], 1e-4);
        Assert.Equal(1 / targetStd, model.Metadata.TargetScaler.Scale[0], 1e-7);
    }

    [Fact]
    public void WithASplitTheEncodingIsFittedOnTheTrainingPartOnly()
    {
        var data = Table(60);
        var options = new FitOptions { Seed = 7, Epochs = 1, Hidden = [3] };
        var result = TabularModel.Fit(data, options);
        // the split is the library's (seeded); the statistics of its training part are computed here
        var (train, _) = DataSplit.TrainTest(data, options.TestFraction, options.Seed, stratify: false);
        Assert.Equal(train.Count, result.TrainRows);
        AssertFittedOn(result.Model, train.Features, train.Targets, data.Features);
    }

    [Fact]
    public void WithValidationTheEncodingIsFittedOnTheRowsTrainedOn()
    {
        var data = Table(60);
        var options = new FitOptions { Seed = 8, Epochs = 2, Hidden = [3], Patience = 5, ValidationFraction = 0.25 };
        var result = TabularModel.Fit(data, options);
        var (rest, _) = DataSplit.TrainTest(data, options.TestFraction, options.Seed, stratify: false);
        var (train, validation) = DataSplit.TrainTest(rest, 0.25, options.Seed + 1, stratify: false);
        Assert.Equal((train.Count, validation.Count), (result.TrainRows, result.ValidationRows));
        AssertFittedOn(result.Model, train.Features, train.Targets, rest.Features);
    }

    [Fact]
    public void ASeparateTestSetNeverReachesTheEncoding()
    {
        // the test rows are shifted by 1000: any of them in the statistics would move them far
        var train = Table(40);
        var test = Table(20, shift: 1000);
        var result = TabularModel.Fit(train, new FitOptions { Seed = 1, Epochs = 1, Hidden = [3] }, test);
        Assert.Equal((40, 20), (result.TrainRows, result.TestRows));
        var all = new Matrix<float>(60, 2);
        train.Features.AsSpan().CopyTo(all.AsSpan());
        test.Features.AsSpan().CopyTo(all.AsSpan()[80..]);
        AssertFittedOn(result.Model, train.Features, train.Targets, all);
    }

    [Fact]
    public void MinMaxIsFittedOnTheTrainingRowsToo()
    {
        var train = Table(40);
        var result = TabularModel.Fit(train, new FitOptions { Seed = 1, Epochs = 1, Hidden = [3], Scaler = "minmax" }, Table(20, shift: -500));
        var scaler = result.Model.Metadata.FeatureScaler!;
        Assert.Equal("minmax", scaler.Kind);
        // a: 0 … 39²/10 = 152.1; b: 5·sin(i) over the training rows (the missing ones filled with the median first)
        double[] b = [.. Column(train.Features, 1), Median(Column(train.Features, 1))];
        Assert.Equal([0f, (float)b.Min()], scaler.Offset);
        Assert.Equal(1 / 152.1, scaler.Scale[0], 1e-7);
        Assert.Equal(1 / (b.Max() - b.Min()), scaler.Scale[1], 1e-6);
    }
}
