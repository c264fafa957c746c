using System.Diagnostics;

namespace Engine.Serialization;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one: write a temporary
/// file in the same folder, flush it to disk, then rename it over the target (atomic on one file system).
/// Only a regular file is ever renamed over: a symbolic link is followed (the file it points to is replaced, the
/// link stays); a named pipe or a character device (a terminal, <c>/dev/stdout</c>, <c>/dev/null</c>) is written
/// into directly; a directory, a block device or a socket is refused with an <see cref="IOException"/>.
/// Temporary files left by a killed writer to the same path are removed.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on any failure the target is untouched and the temp file removed.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        if (IsStream(path, full))
        {
            using var direct = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
            write(direct);
            direct.Flush();
            return;
        }
        // A regular file or nothing yet: through a symbolic link, replace the file it points to.
        full = FileEntry.Resolve(full);
        string folder = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(folder);
        RemoveStaleTemps(full);
        string temp = TempName(full, Environment.ProcessId);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Checks, before any long work, that <see cref="Write"/> to <paramref name="path"/> can succeed: a pipe or a terminal
    /// is accepted as it is; otherwise a file can be created in the (resolved) target's folder, which must exist.
    /// Removes the temporary files a killed writer to the same path left. Throws <see cref="DirectoryNotFoundException"/>,
    /// <see cref="UnauthorizedAccessException"/> or <see cref="IOException"/> (a directory, a device, a read-only place).
    /// </summary>
    public static void CheckCanWrite(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (IsStream(path, full))
            return;
        full = FileEntry.Resolve(full);
        string folder = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{path}: the folder {folder} does not exist.");
        RemoveStaleTemps(full);
        using (new FileStream(TempName(full, Environment.ProcessId), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
        {
        }
    }

    /// <summary>The temporary file a writer with process id <paramref name="processId"/> uses for <paramref name="fullPath"/>.</summary>
    internal static string TempName(string fullPath, int processId) =>
        Path.Combine(Path.GetDirectoryName(fullPath) ?? ".", $".{Path.GetFileName(fullPath)}.{processId}.{Guid.NewGuid():N}.tmp");

    /// <summary>Removes the temporary files of writers to <paramref name="fullPath"/> whose process no longer runs.</summary>
    internal static void RemoveStaleTemps(string fullPath)
    {
        string folder = Path.GetDirectoryName(fullPath) ?? ".";
        string prefix = $".{Path.GetFileName(fullPath)}.";
        IEnumerable<string> candidates;
        try
        {
            candidates = [.. Directory.EnumerateFiles(folder, ".*.tmp").Where(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (string file in candidates)
        {
            // .name.<pid>.<32 hex>.tmp
            string[] parts = Path.GetFileName(file)[prefix.Length..].Split('.');
            if (parts.Length == 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && parts[1].Length == 32 && pid != Environment.ProcessId && !IsRunning(pid))
                TryDelete(file);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // A pipe or a terminal is written into as it is (true); a regular file, a link to one or nothing yet is replaced
    // atomically (false); anything else is refused.
    private static bool IsStream(string path, string full) => FileEntry.KindOf(full) switch
    {
        FileKind.Fifo or FileKind.CharacterDevice => true,
        FileKind.Directory => throw new IOException($"{path}: is a directory, not a file."),
        FileKind.BlockDevice or FileKind.Socket or FileKind.Other => throw new IOException($"{path}: is a device or socket, not a regular file; refusing to write to it."),
        _ => false,
    };
}
