namespace Engine.Cli;

/// <summary>Loads the model a command was given, saying so when it was given a checkpoint instead.</summary>
internal static class ModelInput
{
    /// <summary><see cref="TabularModel.Load"/>, with a checkpoint (.ckpt) told apart from a model file.</summary>
    public static TabularModel Load(string path)
    {
        if (IsCheckpoint(path))
            throw new UsageException($"{OutputFile.Shown(path)} is a training checkpoint, not a model file: finish the run with 'mlp train --resume {OutputFile.Shown(path)}', which writes the model.");
        return TabularModel.Load(path);
    }

    private static bool IsCheckpoint(string path)
    {
        try
        {
            if (FileEntry.KindOf(path) != FileKind.Regular)
                return false;
            using var file = File.OpenRead(path);
            Span<byte> magic = stackalloc byte[8];
            return file.ReadAtLeast(magic, 8, throwOnEndOfStream: false) == 8 && magic.SequenceEqual("ENGNCKPT"u8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
