using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Engine.Tests.Cli;

namespace Engine.Tests.Serialization;

/// <summary>
/// <see cref="AtomicFile"/> and <see cref="FileEntry"/> at library level (the CLI tests run them in the separate
/// <c>mlp</c> process): targets refused with messages naming the path, temporary files of dead writers removed and
/// those of live ones kept, links resolved to the file they name, the same file told apart from another by inode.
/// </summary>
public sealed partial class AtomicFileTargetTests() : TempDirectoryTests("engine-atomic-target-")
{
    private static readonly string Hex32 = new('a', 32);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int HardLink(string existing, string created);

    [Fact]
    public void EmptyOrNullArgumentsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => AtomicFile.Write("", _ => { }));
        Assert.Throws<ArgumentNullException>(() => AtomicFile.Write(null!, _ => { }));
        Assert.Equal("write", Assert.Throws<ArgumentNullException>(() => AtomicFile.Write(Path.Combine(Dir, "x"), null!)).ParamName);
        Assert.Empty(Directory.GetFileSystemEntries(Dir));
        Assert.Throws<ArgumentException>(() => AtomicFile.CheckCanWrite(""));
        Assert.Throws<ArgumentException>(() => FileEntry.KindOf(""));
        Assert.Throws<ArgumentException>(() => FileEntry.SameFile("", "x"));
        Assert.Throws<ArgumentException>(() => FileEntry.SameFile("x", ""));
        Assert.Throws<ArgumentNullException>(() => FileEntry.SameFile("x", null!));
    }

    [Fact]
    public void ADirectoryIsRefusedWithItsPath()
    {
        string path = Directory.CreateDirectory(Path.Combine(Dir, "out")).FullName;
        Assert.Equal($"{path}: is a directory, not a file.", Assert.Throws<IOException>(() => AtomicFile.Write(path, s => s.WriteByte(1))).Message);
        Assert.Equal($"{path}: is a directory, not a file.", Assert.Throws<IOException>(() => AtomicFile.CheckCanWrite(path)).Message);
        Assert.Empty(Directory.GetFileSystemEntries(path));
    }

    [Fact]
    public void ASocketIsRefusedWithItsPath()
    {
        string path = Path.Combine(Dir, "s.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        Assert.Equal(FileKind.Socket, FileEntry.KindOf(path));
        string expected = $"{path}: is a device or socket, not a regular file; refusing to write to it.";
        Assert.Equal(expected, Assert.Throws<IOException>(() => AtomicFile.Write(path, s => s.WriteByte(1))).Message);
        Assert.Equal(expected, Assert.Throws<IOException>(() => AtomicFile.CheckCanWrite(path)).Message);
        Assert.Equal(FileKind.Socket, FileEntry.KindOf(path));
    }

    [Fact]
    public void AMissingFolderIsNamed()
    {
        string folder = Path.Combine(Dir, "no");
        string path = Path.Combine(folder, "out.bin");
        Assert.Equal($"{path}: the folder {folder} does not exist.", Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.CheckCanWrite(path)).Message);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void KindsAreReportedAsTheyAre()
    {
        string file = Path.Combine(Dir, "f"), fifo = Path.Combine(Dir, "p"), link = Path.Combine(Dir, "l");
        File.WriteAllText(file, "x");
        SafetyTests.MakeFifo(fifo);
        File.CreateSymbolicLink(link, fifo);
        Assert.Equal(FileKind.Regular, FileEntry.KindOf(file));
        Assert.Equal(FileKind.Directory, FileEntry.KindOf(Dir));
        Assert.Equal(FileKind.Fifo, FileEntry.KindOf(link)); // the link is followed
        Assert.Equal(FileKind.Missing, FileEntry.KindOf(Path.Combine(Dir, "none")));
    }

    // ---- temporary files of killed writers ----

    private static int DeadProcessId()
    {
        using var process = Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TempFilesOfDeadWritersToThatPathAreRemovedOthersKept(bool check)
    {
        using var alive = Process.Start(new ProcessStartInfo("sleep", "30") { RedirectStandardInput = true })!;
        try
        {
            int dead = DeadProcessId();
            string target = Path.Combine(Dir, "out.bin");
            File.WriteAllText(target, "old");
            string[] removed = [$".out.bin.{dead}.{Hex32}.tmp"];
            string[] kept =
            [
                $".out.bin.{Environment.ProcessId}.{Hex32}.tmp", // this process: a write under way
                $".out.bin.{alive.Id}.{Hex32}.tmp", // a live writer
                $".other.bin.{dead}.{Hex32}.tmp", // another target
                $".out.bin.{dead}.{Hex32[1..]}.tmp", // not 32 hex digits
                $".out.bin.{dead}.x.{Hex32}.tmp", // one part too many
                $".out.bin.x{dead}.{Hex32}.tmp", // not a process id
                $".out.bin.{dead}.{Hex32}.tmp.bak", // not a temporary file
            ];
            foreach (string name in removed.Concat(kept))
                File.WriteAllText(Path.Combine(Dir, name), "stale");
            if (check)
                AtomicFile.CheckCanWrite(target);
            else
                AtomicFile.Write(target, s => s.WriteByte(7));
            Assert.Equal([.. kept.Append("out.bin").Order(StringComparer.Ordinal)], Directory.GetFiles(Dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal(check ? "old"u8.ToArray() : [7], File.ReadAllBytes(target));
        }
        finally
        {
            alive.Kill();
            alive.WaitForExit();
        }
    }

    [Fact]
    public void TheTempFileIsNamedAfterTargetAndWriterAndRenamedOverTheTarget()
    {
        string target = Path.Combine(Dir, "out.bin");
        File.WriteAllText(target, "old");
        string? seen = null;
        AtomicFile.Write(target, s =>
        {
            // while the bytes are written, the target is the old file and one temporary file is beside it
            Assert.Equal("old", File.ReadAllText(target));
            seen = Assert.Single(Directory.GetFiles(Dir, ".*"));
            s.WriteByte(5);
        });
        string name = Path.GetFileName(seen)!;
        Assert.StartsWith($".out.bin.{Environment.ProcessId}.", name, StringComparison.Ordinal);
        Assert.EndsWith(".tmp", name, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{32}$", name.Split('.')[4]);
        Assert.Equal([5], File.ReadAllBytes(target));
        Assert.False(File.Exists(seen));
    }

    // ---- links and identity ----

    [Fact]
    public void AChainOfLinksIsFollowedToTheFile()
    {
        string file = Path.Combine(Dir, "file"), first = Path.Combine(Dir, "first"), second = Path.Combine(Dir, "second");
        File.WriteAllText(file, "old");
        File.CreateSymbolicLink(second, file);
        File.CreateSymbolicLink(first, second);
        Assert.Equal(file, FileEntry.Resolve(first));
        AtomicFile.Write(first, s => s.WriteByte(3));
        Assert.Equal([3], File.ReadAllBytes(file));
        Assert.Equal(second, new FileInfo(first).LinkTarget); // both links kept
        Assert.Equal(file, new FileInfo(second).LinkTarget);
    }

    [Fact]
    public void LinkedFoldersAlongThePathAreResolved()
    {
        string real = Directory.CreateDirectory(Path.Combine(Dir, "real")).FullName;
        Directory.CreateDirectory(Path.Combine(real, "sub"));
        File.WriteAllText(Path.Combine(real, "f.bin"), "x");
        File.WriteAllText(Path.Combine(real, "sub", "f.bin"), "y");
        string link = Path.Combine(Dir, "link"), link2 = Path.Combine(Dir, "link2");
        Directory.CreateSymbolicLink(link, real);
        Directory.CreateSymbolicLink(link2, link);
        Assert.Equal(Path.Combine(real, "f.bin"), FileEntry.Resolve(Path.Combine(link, "f.bin")));
        Assert.Equal(Path.Combine(real, "f.bin"), FileEntry.Resolve(Path.Combine(link2, "f.bin"))); // a link to a link
        Assert.Equal(Path.Combine(real, "sub", "f.bin"), FileEntry.Resolve(Path.Combine(link, "sub", "f.bin"))); // a linked folder higher up
        Assert.Equal(Path.Combine(real, "sub", "f.bin"), FileEntry.Resolve(Path.Combine(link2, "sub", ".", "f.bin")));
        Assert.Equal(Path.Combine(real, "sub"), FileEntry.Resolve(Path.Combine(link, "sub")));
        Assert.Equal(real, FileEntry.Resolve(link2));
        // a file not yet there (an output): its linked folders are resolved all the same
        Assert.Equal(Path.Combine(real, "sub", "new.bin"), FileEntry.Resolve(Path.Combine(link2, "sub", "new.bin")));
        Assert.Equal(Path.Combine(real, "new.bin"), FileEntry.Resolve(Path.Combine(link, "new.bin")));
        Assert.Equal(Path.Combine(real, "f.bin"), FileEntry.Resolve(Path.Combine(real, "f.bin"))); // no link: as it is
        Assert.Equal("/", FileEntry.Resolve("/"));
        Assert.True(FileEntry.SameFile(Path.Combine(link2, "sub", "f.bin"), Path.Combine(real, "sub", "f.bin")));

        // a write through the linked folder replaces the file in the real one, and leaves nothing in either
        AtomicFile.Write(Path.Combine(link2, "sub", "f.bin"), s => s.WriteByte(9));
        Assert.Equal([9], File.ReadAllBytes(Path.Combine(real, "sub", "f.bin")));
        Assert.Equal(["f.bin"], Directory.GetFiles(Path.Combine(real, "sub")).Select(Path.GetFileName));
    }

    [Fact]
    public void SameFileComparesIdentityNotNames()
    {
        string a = Path.Combine(Dir, "a"), b = Path.Combine(Dir, "b"), hard = Path.Combine(Dir, "hard"), soft = Path.Combine(Dir, "soft");
        File.WriteAllText(a, "same");
        File.WriteAllText(b, "same");
        Assert.Equal(0, HardLink(a, hard));
        File.CreateSymbolicLink(soft, a);
        Assert.True(FileEntry.SameFile(a, hard)); // another name, the same inode
        Assert.True(FileEntry.SameFile(hard, soft));
        Assert.True(FileEntry.SameFile(a, Path.Combine(Dir, ".", "a")));
        Assert.False(FileEntry.SameFile(a, b)); // same folder, same contents, another inode
        Assert.False(FileEntry.SameFile(b, hard));
        Assert.False(FileEntry.SameFile(a, Path.Combine(Dir, "missing")));
        // on Linux, names differing in case are different files, whether they exist or not
        Assert.False(FileEntry.SameFile(Path.Combine(Dir, "Case"), Path.Combine(Dir, "case")));
        File.WriteAllText(Path.Combine(Dir, "Up"), "1");
        File.WriteAllText(Path.Combine(Dir, "up"), "2");
        Assert.False(FileEntry.SameFile(Path.Combine(Dir, "Up"), Path.Combine(Dir, "up")));
    }

    [Fact]
    public void AFileIsNotStandardInputUnlessItIs()
    {
        string file = Path.Combine(Dir, "in.csv");
        File.WriteAllText(file, "a\n1\n");
        Assert.False(FileEntry.IsStandardInput(file)); // the test host does not read a file on its standard input
        Assert.False(FileEntry.IsStandardInput(Path.Combine(Dir, "missing.csv")));
        Assert.Throws<ArgumentException>(() => FileEntry.IsStandardInput(""));
    }
}
