using System.Runtime.InteropServices;

namespace Engine.Tests.Serialization;

/// <summary>
/// Tests that swap the test host's standard input (file descriptor 0) for a moment: they run alone, never beside
/// another test (a process started meanwhile would inherit the swapped descriptor).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StandardInputCollection
{
    public const string Name = "Standard input (fd 0)";
}

/// <summary>
/// <see cref="FileEntry.IsStandardInput"/> with a file, then a named pipe, really on standard input (as in
/// <c>mlp … &lt; x.csv --out x.csv</c>): the file is recognised under each of its names, other files are not, and a
/// pipe is never "the same file" as an output.
/// </summary>
[Collection(StandardInputCollection.Name)]
public sealed partial class StandardInputTests() : TempDirectoryTests("engine-stdin-")
{
    private const int ReadWrite = 2; // O_RDWR: opening a FIFO so does not wait for a writer

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int fd, int fd2);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int HardLink(string existing, string created);

    // IsStandardInput of each path while `source` is open as fd 0; fd 0 is restored before returning.
    private static bool[] WithStandardInput(string source, params string[] paths)
    {
        int fd = Open(source, ReadWrite);
        Assert.True(fd >= 0, $"open {source}: errno {Marshal.GetLastPInvokeError()}");
        int saved = Dup(0);
        Assert.True(saved >= 0);
        try
        {
            Assert.Equal(0, Dup2(fd, 0));
            return [.. paths.Select(FileEntry.IsStandardInput)];
        }
        finally
        {
            Dup2(saved, 0);
            Close(saved);
            Close(fd);
        }
    }

    [Fact]
    public void AFileOnStandardInputIsKnownUnderEachOfItsNames()
    {
        string file = Path.Combine(Dir, "in.csv"), other = Path.Combine(Dir, "other.csv");
        string hard = Path.Combine(Dir, "hard.csv"), soft = Path.Combine(Dir, "soft.csv");
        File.WriteAllText(file, "a\n1\n");
        File.WriteAllText(other, "a\n1\n"); // the same bytes, another file
        Assert.Equal(0, HardLink(file, hard));
        File.CreateSymbolicLink(soft, file);
        Assert.Equal([true, true, true, false, false], WithStandardInput(file, file, hard, soft, other, Path.Combine(Dir, "missing.csv")));
        Assert.False(FileEntry.IsStandardInput(file)); // restored
    }

    [Fact]
    public void APipeOnStandardInputIsNeverTheOutput()
    {
        string fifo = Path.Combine(Dir, "p");
        Cli.SafetyTests.MakeFifo(fifo);
        Assert.Equal([false], WithStandardInput(fifo, fifo)); // writing to the pipe cannot destroy what was read from it
    }
}
