namespace Engine.Cli;

/// <summary><c>mlp export &lt;model&gt; --format safetensors|onnx</c>: the model in a format other tools read.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var modelArg = new Argument<string>("model") { Description = "Model file written by 'mlp train'." };
        var format = new Option<string>("--format") { Description = "Output format: safetensors (weights for PyTorch) or onnx (the whole pipeline, raw columns in, for ONNX Runtime).", DefaultValueFactory = _ => "safetensors" };
        format.AcceptOnlyFromAmong("safetensors", "onnx");
        var output = new Option<string?>("--out") { Description = "File to write (default: the model's name with .safetensors or .onnx)." };
        var command = new Command("export", "Write a model as safetensors (PyTorch nn.Sequential names; architecture and preprocessing in __metadata__) or as ONNX (raw columns in, preprocessing in the graph, label and probabilities or the value out).")
        {
            modelArg, format, output,
        };
        command.SetAction(parse =>
        {
            string modelPath = parse.GetValue(modelArg)!;
            bool onnx = parse.GetValue(format) == "onnx";
            string path = parse.GetValue(output) ?? Path.ChangeExtension(modelPath, onnx ? ".onnx" : ".safetensors");
            OutputFile.Check("--out", path, ("the model", modelPath));
            var model = ModelInput.Load(modelPath);
            if (onnx)
            {
                try
                {
                    model.ExportOnnx(path);
                }
                catch (NotSupportedException e)
                {
                    throw new UsageException($"{modelPath}: cannot export as ONNX: {e.Message}");
                }
            }
            else
                model.ExportSafetensors(path);
            Console.WriteLine($"wrote {path}");
            return CliRunner.Ok;
        });
        return command;
    }
}
