namespace Engine.Cli;

/// <summary>
/// A CSV input as the command line gave it: a file is read where it is; <c>-</c> (standard input), a named pipe
/// (<c>&lt;(zcat …)</c>, <c>/dev/stdin</c>) or a device is first copied to a temporary file, since reading a table
/// can take two passes. Messages name the input as the user gave it, not the copy; the copy is deleted on dispose.
/// </summary>
internal sealed class InputFile : IDisposable
{
    private readonly string? _spoolFolder;

    private InputFile(string path, string shown, string? spoolFolder)
    {
        Path = path;
        Shown = shown;
        _spoolFolder = spoolFolder;
    }

    /// <summary>The file to read.</summary>
    public string Path { get; }

    /// <summary>The input in the user's words ("standard input" for <c>-</c>).</summary>
    public string Shown { get; }

    /// <summary>The argument (<c>-</c> for standard input) as a readable file.</summary>
    public static InputFile Open(string argument)
    {
        if (argument == "-")
            return Spool(Console.OpenStandardInput, "stdin", "standard input");
        return FileEntry.KindOf(argument) is FileKind.Fifo or FileKind.CharacterDevice or FileKind.Socket or FileKind.Other
            ? Spool(() => new FileStream(argument, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16), System.IO.Path.GetFileName(argument), argument)
            : new InputFile(argument, argument, null);
    }

    private static InputFile Spool(Func<Stream> open, string name, string shown)
    {
        var folder = Directory.CreateTempSubdirectory("mlp-input-");
        string path = System.IO.Path.Combine(folder.FullName, string.IsNullOrEmpty(name) ? "input" : name);
        try
        {
            using var source = open();
            using var copy = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            source.CopyTo(copy, 1 << 16);
        }
        catch
        {
            folder.Delete(recursive: true);
            throw;
        }
        return new InputFile(path, shown, folder.FullName);
    }

    /// <summary>Runs <paramref name="read"/>; a bad-input error about the copy is told about the input as given.</summary>
    public T Read<T>(Func<string, T> read)
    {
        try
        {
            return read(Path);
        }
        catch (Exception e) when (_spoolFolder is not null && CliRunner.IsBadInput(e) && e.Message.Contains(Path, StringComparison.Ordinal))
        {
            throw new UsageException(e.Message.Replace(Path, Shown, StringComparison.Ordinal));
        }
    }

    public void Dispose()
    {
        if (_spoolFolder is null)
            return;
        try
        {
            Directory.Delete(_spoolFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
