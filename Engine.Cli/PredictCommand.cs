namespace Engine.Cli;

/// <summary><c>mlp predict &lt;model&gt; &lt;csv&gt;</c>: one output row per input row.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var modelArg = new Argument<string>("model") { Description = "Model file written by 'mlp train'." };
        var csv = new Argument<string>("csv") { Description = "Rows to predict (- for standard input); needs the model's feature columns (a target column is ignored)." };
        var output = new Option<string?>("--out") { Description = "Write predictions to this CSV file (default: standard output)." };
        var command = new Command("predict", "Predict each row of a CSV file with a saved model.") { modelArg, csv, output };
        command.SetAction(parse =>
        {
            string modelPath = parse.GetValue(modelArg)!, csvPath = parse.GetValue(csv)!;
            if (parse.GetValue(output) is string target)
                OutputFile.Check("--out", target, ("the model", modelPath), ("the data", csvPath));
            var model = ModelInput.Load(modelPath);
            using var input = InputFile.Open(csvPath);
            var rows = input.Read(path => model.ReadCsv(path));
            ModelColumns.ReportIgnored(rows, model);
            var predictions = model.Predict(rows);
            if (parse.GetValue(output) is string path)
                AtomicFile.Write(path, stream =>
                {
                    using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
                    Write(writer, model, predictions);
                });
            else
                Write(Console.Out, model, predictions);
            return CliRunner.Ok;
        });
        return command;
    }

    // Classification: label, then one probability column per class; regression: the predicted value. Lines end with "\n",
    // as Console.WriteLine does here and as pandas' to_csv and R's write.csv write on Linux, not RFC 4180's "\r\n" (every
    // CSV reader reads both; "\r\n" shows as ^M in Unix tools and makes `cut`, `awk` and `diff` against other files trip).
    private static void Write(TextWriter writer, TabularModel model, Matrix<float> predictions)
    {
        var config = new CsvHelper.Configuration.CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" };
        using var csv = new CsvHelper.CsvWriter(writer, config, leaveOpen: true);
        var classes = model.ClassNames;
        if (classes is null)
        {
            csv.WriteField(model.Metadata.TargetName);
        }
        else
        {
            csv.WriteField(model.Metadata.TargetName);
            foreach (string c in classes)
                csv.WriteField($"p_{c}");
        }
        csv.NextRecord();
        for (int i = 0; i < predictions.Rows; i++)
        {
            var row = predictions.Row(i);
            if (classes is null)
            {
                csv.WriteField(Format(row[0]));
            }
            else
            {
                csv.WriteField(classes[System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(row)]);
                foreach (float p in row)
                    csv.WriteField(Format(p));
            }
            csv.NextRecord();
        }
        csv.Flush();
    }

    /// <summary>
    /// The shortest text that reads back as exactly <paramref name="value"/> (float32), in the form Python's repr and
    /// numpy write: "0.25", "1.42161e-06", "3e+20" (lower-case e, a sign, two exponent digits at least), not .NET's
    /// "1.42161E-06". Python's float() (correctly rounded to double) then np.float32, or pandas with dtype float32, give
    /// the value back bit for bit.
    /// </summary>
    internal static string Format(float value)
    {
        string s = value.ToString("R", CultureInfo.InvariantCulture); // shortest round-trip since .NET Core 3.0
        int e = s.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
            return s;
        string exponent = s[(e + 1)..];
        char sign = exponent[0] == '-' ? '-' : '+';
        return $"{s[..e]}e{sign}{exponent.TrimStart('+', '-').PadLeft(2, '0')}";
    }
}
