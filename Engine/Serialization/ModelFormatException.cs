namespace Engine.Serialization;

/// <summary>A model or checkpoint file that is truncated, corrupted, of another format or of an unsupported version.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception; the message starts with the file path.</summary>
    public ModelFormatException(string path, string problem)
        : base($"{path}: {problem}")
    {
        FilePath = path;
    }

    /// <summary>The file that was refused.</summary>
    public string FilePath { get; }
}
