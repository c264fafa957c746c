using Engine.Data;

namespace Engine.Tests.Data;

/// <summary>The eight real tables of ../shared/datasets/tabular/ (R exports: factors quoted, missing values as NA) read as they should.</summary>
public sealed class TabularFileTests
{
    private static DataTable Read(string file, string target) =>
        DataTable.ReadCsv(DataFiles.Shared("tabular/" + file)!, new TableOptions { Target = target });

    private static ColumnSchema Column(DataTable table, string name) => table.Columns.Single(c => c.Name == name);

    private static void AssertKinds(DataTable table, ColumnKind kind, params string[] names)
    {
        foreach (string name in names)
            Assert.True(Column(table, name).Kind == kind, $"{name}: {Column(table, name)}");
    }

    private static string[] Names(DataTable table, ColumnKind kind) => [.. table.Columns.Where(c => c.Kind == kind).Select(c => c.Name)];

    [RequiresDatasetFact("tabular/churn.csv")]
    public void Churn_has_text_columns_and_yes_no_labels()
    {
        var t = Read("churn.csv", "churn");
        Assert.Equal(5000, t.Count);
        Assert.Equal(["state", "area_code", "international_plan", "voice_mail_plan"], Names(t, ColumnKind.Categorical));
        Assert.Equal(15, t.NumericColumns.Count);
        Assert.Empty(Names(t, ColumnKind.Dropped));
        Assert.Equal(51, Column(t, "state").Distinct);
        Assert.Equal(new LevelCount("area_code_415", 2495), Column(t, "area_code").TopLevels[0]);
        Assert.All(t.Columns, c => Assert.Equal(0, c.Missing));
        Assert.Equal((TaskKind.Classification, "text labels"), (t.Task, t.TaskReason));
        Assert.Equal(["no", "yes"], t.ClassNames);
        Assert.Equal(51, t.Levels[0].Count);
    }

    [RequiresDatasetFact("tabular/sacramento.csv")]
    public void Sacramento_reads_zip_codes_as_text()
    {
        var t = Read("sacramento.csv", "price");
        Assert.Equal(932, t.Count);
        Assert.Equal(["city", "zip", "type"], Names(t, ColumnKind.Categorical));
        Assert.Equal(["beds", "baths", "sqft", "latitude", "longitude"], Names(t, ColumnKind.Numeric));
        Assert.Equal((37, 68), (Column(t, "city").Distinct, Column(t, "zip").Distinct));
        Assert.Equal(TaskKind.Regression, t.Task);
        Assert.StartsWith("numbers", t.TaskReason, StringComparison.Ordinal);
    }

    [RequiresDatasetFact("tabular/hpc.csv")]
    public void Hpc_has_protocol_and_day_as_text()
    {
        var t = Read("hpc.csv", "class");
        Assert.Equal(4331, t.Count);
        Assert.Equal(["protocol", "day"], Names(t, ColumnKind.Categorical));
        Assert.Equal(["compounds", "input_fields", "iterations", "num_pending", "hour"], Names(t, ColumnKind.Numeric));
        Assert.Equal((TaskKind.Classification, "text labels"), (t.Task, t.TaskReason));
        Assert.Equal(["F", "L", "M", "VF"], t.ClassNames);
    }

    [RequiresDatasetFact("tabular/soybean.csv")]
    public void Soybean_is_all_quoted_codes_with_many_missing()
    {
        var t = Read("soybean.csv", "Class");
        Assert.Equal(683, t.Count);
        Assert.Equal(35, t.CategoricalCount);
        Assert.All(t.Columns, c => Assert.Equal((ColumnKind.Categorical, "quoted codes"), (c.Kind, c.Reason)));
        Assert.Equal(0, t.Numeric.Cols);
        Assert.Equal(2337, t.Columns.Sum(c => c.Missing)); // the README's missing cells
        Assert.Equal(2337, t.Codes.Count(c => c < 0));
        Assert.Equal(121, Column(t, "hail").Missing);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6"], t.Levels[0]);
        Assert.Equal(TaskKind.Classification, t.Task);
        Assert.Equal(19, t.ClassNames!.Count);
    }

    [RequiresDatasetFact("tabular/servo.csv")]
    public void Servo_has_text_and_quoted_codes_and_a_numeric_target()
    {
        var t = Read("servo.csv", "Class");
        Assert.Equal(167, t.Count);
        Assert.Equal((ColumnKind.Categorical, "text"), (Column(t, "Motor").Kind, Column(t, "Motor").Reason));
        Assert.Equal((ColumnKind.Categorical, "text"), (Column(t, "Screw").Kind, Column(t, "Screw").Reason));
        Assert.Equal((ColumnKind.Categorical, "quoted codes"), (Column(t, "Pgain").Kind, Column(t, "Pgain").Reason));
        Assert.Equal((ColumnKind.Categorical, "quoted codes"), (Column(t, "Vgain").Kind, Column(t, "Vgain").Reason));
        Assert.Equal(TaskKind.Regression, t.Task);
        Assert.Null(t.ClassNames);
    }

    [RequiresDatasetFact("tabular/ozone.csv")]
    public void Ozone_has_quoted_calendar_codes_and_missing_numbers()
    {
        var t = Read("ozone.csv", "V4");
        Assert.Equal(5, t.DroppedTargetRows);
        Assert.Equal(361, t.Count);
        Assert.Equal(["V1", "V2", "V3"], Names(t, ColumnKind.Categorical));
        Assert.Equal(9, t.NumericColumns.Count);
        Assert.Equal((12, 31, 7), (Column(t, "V1").Distinct, Column(t, "V2").Distinct, Column(t, "V3").Distinct));
        Assert.Equal(137, Column(t, "V9").Missing);
        Assert.Equal(t.Columns.Sum(c => c.Missing), CountNaN(t.Numeric));
        Assert.Equal(TaskKind.Regression, t.Task);
    }

    [RequiresDatasetFact("tabular/airquality.csv")]
    public void Airquality_drops_the_rows_without_ozone()
    {
        var t = Read("airquality.csv", "Ozone");
        Assert.Equal((116, 37), (t.Count, t.DroppedTargetRows));
        Assert.Equal(["Solar.R", "Wind", "Temp", "Month", "Day"], Names(t, ColumnKind.Numeric));
        Assert.Equal(5, Column(t, "Solar.R").Missing);
        Assert.Equal(5, CountNaN(t.Numeric));
        Assert.Equal(TaskKind.Regression, t.Task);
        Assert.Equal(41f, t.Targets![0, 0]);
    }

    [RequiresDatasetFact("tabular/glass.csv")]
    public void Glass_has_quoted_class_codes()
    {
        var t = Read("glass.csv", "Type");
        Assert.Equal(214, t.Count);
        Assert.Equal(9, t.NumericColumns.Count);
        Assert.Equal(0, t.CategoricalCount);
        Assert.Equal((TaskKind.Classification, "quoted codes"), (t.Task, t.TaskReason));
        Assert.Equal(["1", "2", "3", "5", "6", "7"], t.ClassNames);
    }

    private static int CountNaN(Matrix<float> m)
    {
        int n = 0;
        for (int i = 0; i < m.Rows; i++)
        {
            foreach (float v in m.Row(i))
                n += float.IsNaN(v) ? 1 : 0;
        }
        return n;
    }
}
