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

    // Classification: label, then one probability column per class; regression: the predicted value.
    private static void Write(TextWriter writer, TabularModel model, Matrix<float> predictions)
    {
        using var csv = new CsvHelper.CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
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
                csv.WriteField(row[0].ToString("R", CultureInfo.InvariantCulture));
            }
            else
            {
                csv.WriteField(classes[System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(row)]);
                foreach (float p in row)
                    csv.WriteField(p.ToString("G6", CultureInfo.InvariantCulture));
            }
            csv.NextRecord();
        }
        csv.Flush();
    }
}
