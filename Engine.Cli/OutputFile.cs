namespace Engine.Cli;

/// <summary>
/// Checks an output path before any long work: not a directory, its folder there and writable, not one of the inputs
/// under any name. A named pipe or a terminal is written into directly (see <see cref="AtomicFile"/>); a symbolic link
/// to a file is followed (the file it points to is replaced); a block device or a socket is refused.
/// </summary>
internal static class OutputFile
{
    /// <summary>Throws a <see cref="UsageException"/> naming <paramref name="option"/> if <paramref name="path"/> cannot or must not be written.</summary>
    /// <param name="option">How the user gave the path, e.g. "--out".</param>
    /// <param name="path">The output.</param>
    /// <param name="inputs">What the command reads: a role ("the training data") and a path ("-" for standard input).</param>
    public static void Check(string option, string path, params (string Role, string? Path)[] inputs)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new UsageException($"{option}: give a file name.");
        string shown = Shown(path);
        foreach (var (role, input) in inputs)
        {
            if (input is null)
                continue;
            bool same = input == "-" ? FileEntry.IsStandardInput(path) : FileEntry.SameFile(path, input);
            if (same)
                throw new UsageException($"{option} {shown} is {role} ({(input == "-" ? "standard input" : Shown(input))}): refusing to write over an input; choose another file.");
        }
        var kind = FileEntry.KindOf(path);
        switch (kind)
        {
            case FileKind.Directory:
                throw new UsageException($"{option} {shown}: is a directory; give a file name.");
            case FileKind.Fifo:
                // Opening a pipe for writing waits for a reader: say so, or a pipe given by mistake looks like a hang.
                Console.Error.WriteLine($"mlp: {option} {shown} is a named pipe: the output is written into it when something reads it.");
                return;
            case FileKind.CharacterDevice:
                return; // a terminal or /dev/null: streamed into as it is
            case FileKind.BlockDevice or FileKind.Socket or FileKind.Other:
                throw new UsageException($"{option} {shown}: is a {Describe(kind)}, not a regular file; refusing to write to it.");
        }
        if (path.EndsWith('/') || path.EndsWith(Path.DirectorySeparatorChar))
            throw new UsageException($"{option} {shown}: names a folder; give a file name.");
        string folder = Path.GetDirectoryName(FileEntry.Resolve(path)) ?? ".";
        if (!Directory.Exists(folder))
            throw new UsageException($"{option} {shown}: the folder {Shown(folder)} does not exist.");
        // Can a file be created there? (The file is written to a temporary file in that folder, then renamed.)
        try
        {
            AtomicFile.CheckCanWrite(path);
        }
        catch (UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {shown}: permission denied: cannot create a file in {Shown(folder)}.");
        }
        catch (IOException e)
        {
            throw new UsageException($"{option} {shown}: cannot write in {Shown(folder)} ({CliRunner.OneLine(e.Message)}).");
        }
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.BlockDevice => "block device",
        FileKind.Socket => "socket",
        _ => "special file",
    };

    /// <summary>A path as a message shows it: in quotes when it holds a space, control characters escaped.</summary>
    public static string Shown(string path)
    {
        string text = CliRunner.Escape(path);
        return text.Contains(' ', StringComparison.Ordinal) ? $"'{text}'" : text;
    }
}
