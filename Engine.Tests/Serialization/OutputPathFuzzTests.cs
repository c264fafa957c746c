using Engine.Tests.Cli;

namespace Engine.Tests.Serialization;

/// <summary>
/// Atomic writes against every kind of target, in random order and combinations: a regular file is replaced (through a
/// symbolic link too, the link kept), a pipe is written into and stays a pipe, a directory is refused and untouched, and
/// no temporary file is ever left behind.
/// </summary>
public sealed class OutputPathFuzzTests() : TempDirectoryTests("engine-output-fuzz-")
{
    [Fact]
    public async Task EveryKindOfTargetIsWrittenOrRefusedAndNeverReplaced()
    {
        var rng = new Random(5);
        string[] kinds = ["missing", "regular", "link-to-regular", "dangling-link", "fifo", "link-to-fifo", "directory", "link-to-directory", "missing-folder"];
        for (int round = 0; round < 27; round++)
        {
            string kind = kinds[round < kinds.Length ? round : rng.Next(kinds.Length)];
            string folder = Directory.CreateDirectory(Path.Combine(Dir, $"r{round}")).FullName;
            string target = Path.Combine(folder, "out.bin"), other = Path.Combine(folder, "other.bin");
            byte[] payload = new byte[rng.Next(1, 300_000)];
            rng.NextBytes(payload);
            switch (kind)
            {
                case "regular":
                    File.WriteAllText(target, "old");
                    break;
                case "link-to-regular":
                    File.WriteAllText(other, "old");
                    File.CreateSymbolicLink(target, other);
                    break;
                case "dangling-link":
                    File.CreateSymbolicLink(target, other);
                    break;
                case "fifo":
                    SafetyTests.MakeFifo(target);
                    break;
                case "link-to-fifo":
                    SafetyTests.MakeFifo(other);
                    File.CreateSymbolicLink(target, other);
                    break;
                case "directory":
                    Directory.CreateDirectory(target);
                    break;
                case "link-to-directory":
                    Directory.CreateDirectory(other);
                    File.CreateSymbolicLink(target, other);
                    break;
                case "missing-folder":
                    target = Path.Combine(folder, "no", "out.bin");
                    break;
            }
            var before = FileEntry.KindOf(target);
            Task<byte[]>? reader = before == FileKind.Fifo ? Task.Run(() => File.ReadAllBytes(target)) : null;
            if (kind is "directory" or "link-to-directory")
            {
                Assert.Throws<IOException>(() => AtomicFile.CheckCanWrite(target));
                Assert.Throws<IOException>(() => AtomicFile.Write(target, s => s.Write(payload)));
                Assert.Equal(FileKind.Directory, FileEntry.KindOf(target));
            }
            else if (kind == "missing-folder")
            {
                Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.CheckCanWrite(target));
            }
            else
            {
                AtomicFile.CheckCanWrite(target);
                AtomicFile.Write(target, s => s.Write(payload));
                byte[] written = reader is null ? File.ReadAllBytes(target) : await reader.WaitAsync(TimeSpan.FromSeconds(30));
                Assert.Equal(payload, written);
                Assert.Equal(before == FileKind.Missing ? FileKind.Regular : before, FileEntry.KindOf(target));
                if (kind.StartsWith("link", StringComparison.Ordinal) || kind == "dangling-link")
                    Assert.NotNull(new FileInfo(target).LinkTarget); // the link is kept, the file it points to written
            }
            Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
            Assert.True(FileEntry.SameFile(target, target));
            Assert.False(FileEntry.SameFile(target, Path.Combine(folder, "elsewhere.bin")));
        }
    }
}
