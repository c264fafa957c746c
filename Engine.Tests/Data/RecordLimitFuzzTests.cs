namespace Engine.Tests.Data;

/// <summary>
/// The record-size limit under random inputs: files of short records are never refused whatever their length, and a
/// record beyond the limit (an unclosed quote, an endless line) is refused with the line it starts on, before the rest
/// of the file is read.
/// </summary>
public sealed class RecordLimitFuzzTests() : TempDirectoryTests("engine-record-limit-")
{
    private const int Limit = (1 << 16) + 4096; // the parser reads ahead at most one 64 K buffer

    [Fact]
    public void RandomFilesOfShortRecordsAreNeverRefusedAndALongRecordAlwaysIs()
    {
        var rng = new Random(11);
        for (int round = 0; round < 24; round++)
        {
            bool pipelined = rng.Next(2) == 0;
            var text = new System.Text.StringBuilder("a,b,c\n");
            int lines = 1, records = 2000 + rng.Next(4000);
            for (int i = 0; i < records; i++)
            {
                string field = rng.Next(10) == 0 ? "\"x,\ny\"" : rng.Next(100000).ToString(CultureInfo.InvariantCulture);
                text.Append(field).Append(',').Append(rng.Next(9)).Append(",z").Append(rng.Next(3) == 0 ? "\r\n" : "\n");
                lines += field.Contains('\n', StringComparison.Ordinal) ? 2 : 1;
            }
            string path = Path.Combine(Dir, $"ok{round}.csv");
            File.WriteAllText(path, text.ToString());
            Assert.Equal(records, ReadAll(path, pipelined));

            // Then one record that never ends: an unclosed quote, or a line of one character repeated.
            int badLine = lines + 1;
            char filler = "xx,\n"[rng.Next(4)];
            text.Append(filler == '\n' || rng.Next(2) == 0 ? "\"" : "1,"); // line breaks stay in one record inside quotes
            text.Append(filler, Limit + (1 << 16) + rng.Next(2 * Limit)); // beyond the limit even after a full read-ahead
            File.WriteAllText(path, text.ToString());
            var e = Assert.Throws<DataFormatException>(() => ReadAll(path, pipelined));
            Assert.True(e.Message.Contains("a record longer than", StringComparison.Ordinal), e.Message[..Math.Min(400, e.Message.Length)]);
            Assert.Equal(badLine, e.Line);
        }
    }

    private static int ReadAll(string path, bool pipelined)
    {
        using var reader = CsvRecordReader.Open(path, pipelined, Limit);
        int n = 0;
        while (reader.Read(out _))
            n++;
        return n;
    }
}
