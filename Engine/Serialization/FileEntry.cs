using System.Runtime.InteropServices;

namespace Engine.Serialization;

/// <summary>What a path names, with symbolic links followed.</summary>
public enum FileKind
{
    /// <summary>Nothing is there (or a symbolic link points nowhere).</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A named pipe (FIFO).</summary>
    Fifo,

    /// <summary>A character device, such as a terminal.</summary>
    CharacterDevice,

    /// <summary>A block device, such as a disk.</summary>
    BlockDevice,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>Something else the system reports.</summary>
    Other,
}

/// <summary>
/// The kind and the identity (device and inode) of a file system entry, so that a writer can tell a regular file
/// from a device, a pipe or a directory, and an output from one of the inputs under another name. On Linux this asks
/// the kernel (<c>statx</c>); elsewhere it falls back to what .NET reports (regular file or directory, paths compared).
/// </summary>
public static partial class FileEntry
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1, StatxIno = 0x100;
    private static bool _noStatx;

    /// <summary>What <paramref name="path"/> names, following symbolic links.</summary>
    public static FileKind KindOf(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Stat(path, out int mode, out _, out _) is bool ok)
            return ok ? KindOfMode(mode) : FileKind.Missing;
        if (Directory.Exists(path))
            return FileKind.Directory;
        return File.Exists(path) ? FileKind.Regular : FileKind.Missing;
    }

    /// <summary>
    /// Whether <paramref name="a"/> and <paramref name="b"/> name the same file: the same device and inode when both
    /// exist (hard links and symbolic links included), else the same full path once symbolic links are resolved.
    /// </summary>
    public static bool SameFile(string a, string b)
    {
        ArgumentException.ThrowIfNullOrEmpty(a);
        ArgumentException.ThrowIfNullOrEmpty(b);
        if (Stat(a, out _, out ulong devA, out ulong inoA) == true && Stat(b, out _, out ulong devB, out ulong inoB) == true)
            return devA == devB && inoA == inoB;
        return string.Equals(Resolve(a), Resolve(b), OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    /// <summary>Whether standard input is (the same file as) <paramref name="path"/>, e.g. <c>mlp … &lt; x.csv --out x.csv</c>.</summary>
    public static bool IsStandardInput(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return StatStandardInput(out ulong dev, out ulong ino) && Stat(path, out int mode, out ulong devP, out ulong inoP) == true
            && KindOfMode(mode) == FileKind.Regular && dev == devP && ino == inoP;
    }

    /// <summary>The full path with every symbolic link along it resolved (as far as the entries exist).</summary>
    public static string Resolve(string path)
    {
        string full = Path.GetFullPath(path);
        try
        {
            if (LinkTarget(full) is { } target)
                return Path.GetFullPath(target.FullName);
            string? folder = Path.GetDirectoryName(full);
            if (folder is not null && folder != full && Directory.Exists(folder))
            {
                var info = new DirectoryInfo(folder);
                string resolvedFolder = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? ResolveFolder(folder);
                return Path.Combine(resolvedFolder, Path.GetFileName(full));
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return full;
    }

    // A missing file is no link; its folder may still be one (ResolveLinkTarget throws for a missing file).
    private static FileSystemInfo? LinkTarget(string full)
    {
        try
        {
            return File.ResolveLinkTarget(full, returnFinalTarget: true);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static string ResolveFolder(string folder)
    {
        string? parent = Path.GetDirectoryName(folder);
        return parent is null ? folder : Path.Combine(Resolve(parent), Path.GetFileName(folder));
    }

    internal static FileKind KindOfMode(int mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0xC000 => FileKind.Socket,
        _ => FileKind.Other,
    };

    // true: found; false: nothing there; null: statx is not available (not Linux).
    private static unsafe bool? Stat(string path, out int mode, out ulong device, out ulong inode)
    {
        mode = 0;
        device = inode = 0;
        if (_noStatx || !OperatingSystem.IsLinux())
            return null;
        byte* buffer = stackalloc byte[256];
        int result;
        try
        {
            result = statx(AtFdCwd, path, 0, StatxType | StatxIno, buffer);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _noStatx = true;
            return null;
        }
        if (result != 0)
            return false;
        Read(buffer, out mode, out device, out inode);
        return true;
    }

    private static unsafe bool StatStandardInput(out ulong device, out ulong inode)
    {
        device = inode = 0;
        if (_noStatx || !OperatingSystem.IsLinux())
            return false;
        byte* buffer = stackalloc byte[256];
        try
        {
            if (statxFd(0, "", AtEmptyPath, StatxType | StatxIno, buffer) != 0)
                return false;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _noStatx = true;
            return false;
        }
        Read(buffer, out _, out device, out inode);
        return true;
    }

    // struct statx (the same on every Linux architecture): stx_mode u16 at 28, stx_ino u64 at 32,
    // stx_dev_major u32 at 136, stx_dev_minor u32 at 140.
    private static unsafe void Read(byte* buffer, out int mode, out ulong device, out ulong inode)
    {
        mode = *(ushort*)(buffer + 28);
        inode = *(ulong*)(buffer + 32);
        device = ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140);
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statxFd(int fd, string path, int flags, uint mask, byte* buffer);
}
