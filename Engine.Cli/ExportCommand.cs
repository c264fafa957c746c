namespace Engine.Cli;

/// <summary><c>mlp export &lt;model&gt; --format safetensors</c>: the weights in a format other tools read.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var modelArg = new Argument<string>("model") { Description = "Model file written by 'mlp train'." };
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "safetensors" };
        format.AcceptOnlyFromAmong("safetensors");
        var output = new Option<string?>("--out") { Description = "File to write (default: the model's name with .safetensors)." };
        var command = new Command("export", "Write a model's weights as safetensors (PyTorch nn.Sequential names; architecture and preprocessing in __metadata__).")
        {
            modelArg, format, output,
        };
        command.SetAction(parse =>
        {
            string modelPath = parse.GetValue(modelArg)!;
            string path = parse.GetValue(output) ?? Path.ChangeExtension(modelPath, ".safetensors");
            OutputFile.Check("--out", path, ("the model", modelPath));
            ModelInput.Load(modelPath).ExportSafetensors(path);
            Console.WriteLine($"wrote {path}");
            return CliRunner.Ok;
        });
        return command;
    }
}
