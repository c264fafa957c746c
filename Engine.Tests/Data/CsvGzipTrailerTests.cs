using System.Buffers.Binary;
using System.IO.Hashing;

namespace Engine.Tests.Data;

/// <summary>
/// The gzip trailer check (RFC 1952: the last 8 bytes are the CRC-32 of the text, then its length mod 2^32): .NET's
/// GZipStream reads on quietly past bytes after a member and over a file with no member at all, so both numbers must
/// match what was inflated, each on its own.
/// </summary>
public sealed class CsvGzipTrailerTests() : TempDirectoryTests("engine-csv-gzip-")
{
    private const string Text = "a,b,y\n1,2,0\n3,4,1\n";

    private string Write(byte[] bytes)
    {
        string path = Path.Combine(Dir, $"f{Guid.NewGuid():N}.csv.gz");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Trailer(uint crc, uint length)
    {
        var trailer = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), length);
        return trailer;
    }

    private static string Truncated(string path, int length) =>
        $"{path}: the gzip stream is truncated: it ends after {length} bytes of text without a matching trailer (CRC-32 and length); was the file cut short?";

    [Fact]
    public void BothTheCrcAndTheLengthOfTheLastEightBytesMustMatch()
    {
        byte[] text = Encoding.UTF8.GetBytes(Text);
        uint crc = Crc32.HashToUInt32(text), length = (uint)text.Length;
        byte[] gz = CsvInputTests.Gzip(text);

        // eight more bytes after the member: GZipStream ignores them, the check reads them as the trailer
        string right = Write([.. gz, .. Trailer(crc, length)]);
        Assert.Equal(2, CsvDataset.Load(right).Count);
        foreach (var (badCrc, badLength) in new[] { (crc ^ 1, length), (crc, length + 1), (crc ^ 0x8000_0000, length ^ 0x100) })
        {
            string path = Write([.. gz, .. Trailer(badCrc, badLength)]);
            var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path));
            Assert.Equal(Truncated(path, text.Length), e.Message);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x1f, 0x8b })]                         // the magic bytes alone
    [InlineData(new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00 })] // a header cut short, under 8 bytes in all
    public void AFileOfLessThanATrailerIsTruncated(byte[] bytes)
    {
        // no trailer to read, so none matches, not even an empty text's (CRC 0, length 0)
        string path = Write(bytes);
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path));
        Assert.Equal(Truncated(path, 0), e.Message);
    }
}
