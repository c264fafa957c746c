namespace Engine.Tests.Tabular;

/// <summary>
/// Predicting from rows of named values gives what predicting from the same rows read from a CSV file gives: numbers
/// of any .NET type or as text, the missing-value markers, null and NaN as missing, text levels (numbers written as
/// invariant text), unseen levels to "other"; and what cannot be read is refused naming the row and column.
/// </summary>
public sealed class NamedRowTests() : TempDirectoryTests("engine-rows-")
{
    // x numeric (missing on 2 rows), colour text, y from both: a model with a numeric and a categorical column
    private TabularModel Fit()
    {
        var text = new StringBuilder("x,colour,y\n");
        for (int i = 0; i < 40; i++)
        {
            string c = (i % 4) switch { 0 => "red", 1 => "green", 2 => "blue", _ => "3" };
            string x = i is 5 or 17 ? "" : (i * 0.25).ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"{x},{c},{i * 0.25 + (c == "red" ? 4 : 0)}\n");
        }
        string path = Path.Combine(Dir, "train.csv");
        File.WriteAllText(path, text.ToString());
        return TabularModel.Fit(DataTable.ReadCsv(path, new TableOptions { Target = "y", Categorical = ["colour"] }),
            new FitOptions { Seed = 2, Epochs = 2, Hidden = [8] }).Model;
    }

    private static Dictionary<string, object?> Row(object? x, object? colour) => new() { ["x"] = x, ["colour"] = colour, ["other"] = "ignored" };

    [Fact]
    public void NamedValuesPredictAsTheSameRowsReadFromAFile()
    {
        var model = Fit();
        // the same eleven rows twice: as a CSV file, and as named values of various kinds
        File.WriteAllText(Path.Combine(Dir, "rows.csv"), "x,colour\n2,red\n2.5,green\n-1,blue\n3,3\n7,NA\n,blue\n,red\n1.5,mauve\n0.5,\n4,blue\n6,green\n");
        var fromFile = model.Predict(model.ReadCsv(Path.Combine(Dir, "rows.csv")));
        IReadOnlyList<IReadOnlyDictionary<string, object?>> rows =
        [
            Row(2, "red"), Row(2.5f, "green"), Row(-1L, "blue"), Row(3m, 3), Row("7", "NA"), Row(null, "blue"), Row(double.NaN, "red"),
            Row("1.5", "mauve"), Row(0.5, null), Row(4.0, "blue"), Row((byte)6, "green"),
        ];
        var fromRows = model.Predict(rows);
        Assert.Equal(fromFile.AsSpan().ToArray(), fromRows.AsSpan().ToArray());

        // missing in every spelling predicts alike, and so does every level never seen in training
        var missing = model.Predict([Row(null, "red"), Row("NA", "red"), Row(float.NaN, "red"), Row("?", "red")]);
        Assert.All(Enumerable.Range(1, 3), i => Assert.Equal(missing[0, 0], missing[i, 0]));
        var unseen = model.Predict([Row(1, "mauve"), Row(1, 7.5), Row(1, float.NaN), Row(1, "None")]);
        Assert.Equal(unseen[0, 0], unseen[1, 0]);                 // 7.5 is the level "7.5", never seen: other
        Assert.Equal(unseen[2, 0], unseen[3, 0]);                 // NaN and "None" are missing
    }

    [Fact]
    public void WhatCannotBeReadIsRefusedNamingTheRowAndColumn()
    {
        var model = Fit();
        var ex = Assert.Throws<IncompatibleDataException>(() => model.Predict([Row(1, "red"), new Dictionary<string, object?> { ["x"] = 1 }]));
        Assert.Equal("the given rows: row 1 has no value for column 'colour' (give null for a missing value).", ex.Message);
        ex = Assert.Throws<IncompatibleDataException>(() => model.Predict([Row("abc", "red")]));
        Assert.Equal("the given rows: row 0, column 'x': 'abc' is not a number, and the model reads this column as numbers.", ex.Message);
        Assert.Throws<IncompatibleDataException>(() => model.Predict([Row(true, "red")]));
        Assert.Throws<IncompatibleDataException>(() => model.Predict([Row("1e39", "red")])); // beyond float32
        IReadOnlyList<IReadOnlyDictionary<string, object?>> nullRow = [null!];
        Assert.StartsWith("Row 0 is null.", Assert.Throws<ArgumentException>(() => model.Predict(nullRow)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => model.Predict((IReadOnlyList<IReadOnlyDictionary<string, object?>>)null!));
        var matrix = Assert.Throws<InvalidOperationException>(() => model.Predict(new Matrix<float>(1, 2)));
        Assert.StartsWith("This model reads text columns", matrix.Message, StringComparison.Ordinal);
    }
}
