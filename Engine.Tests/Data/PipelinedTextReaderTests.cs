namespace Engine.Tests.Data;

/// <summary><see cref="PipelinedTextReader"/> hands on exactly the inner reader's text, whichever read call is used, and its errors.</summary>
public class PipelinedTextReaderTests
{
    /// <summary>Text longer than the reader's four blocks of 2¹⁷ chars, every char position recognisable.</summary>
    private static string LongText(int chars)
    {
        var sb = new StringBuilder(chars);
        for (int i = 0; sb.Length < chars; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{i},");
        return sb.ToString(0, chars);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(1 << 17)]           // exactly one block
    [InlineData((5 << 17) + 12345)] // more blocks than the queue holds
    public void ReadToEnd_gives_the_inner_text(int chars)
    {
        string text = LongText(chars);
        using var reader = new PipelinedTextReader(new StringReader(text));
        Assert.Equal(text, reader.ReadToEnd());
        Assert.Equal(-1, reader.Read());
        Assert.Equal(-1, reader.Peek());
        Assert.Equal(0, reader.Read(new char[10], 0, 10));
    }

    [Fact]
    public void Read_Peek_and_spans_of_odd_sizes_give_every_char_once()
    {
        string text = LongText((3 << 17) + 77);
        using var reader = new PipelinedTextReader(new StringReader(text));
        var got = new StringBuilder();
        var buffer = new char[1 << 18];
        int[] sizes = [1, 7, 100_003, 1 << 18, 3];
        for (int k = 0; ; k++)
        {
            int peek = reader.Peek();
            if (k % 3 == 0)
            {
                int c = reader.Read();
                Assert.Equal(peek, c);
                if (c < 0)
                    break;
                got.Append((char)c);
                continue;
            }
            int size = sizes[k % sizes.Length];
            int offset = k % 5;
            int n = k % 2 == 0 ? reader.Read(buffer.AsSpan(0, size)) : reader.Read(buffer, offset, Math.Min(size, buffer.Length - offset));
            if (n == 0)
            {
                Assert.Equal(-1, peek);
                break;
            }
            Assert.Equal(text[got.Length], (char)peek);
            got.Append(k % 2 == 0 ? buffer.AsSpan(0, n) : buffer.AsSpan(offset, n));
        }
        Assert.Equal(text, got.ToString());
        Assert.Equal(0, reader.Read(Span<char>.Empty));
    }

    [Fact]
    public void An_empty_buffer_reads_nothing_and_consumes_nothing()
    {
        using var reader = new PipelinedTextReader(new StringReader("abc"));
        Assert.Equal(0, reader.Read(Span<char>.Empty));
        Assert.Equal('a', reader.Read());
        Assert.Equal(0, reader.Read([], 0, 0));
        Assert.Equal("bc", reader.ReadToEnd());
    }

    [Fact]
    public void An_error_of_the_inner_reader_is_rethrown_after_the_text_before_it()
    {
        using var reader = new PipelinedTextReader(new FailingReader(new string('x', 300_000)));
        var buffer = new char[1 << 16];
        long total = 0;
        var e = Assert.Throws<IOException>(() =>
        {
            int n;
            while ((n = reader.Read(buffer)) > 0)
                total += n;
        });
        Assert.Equal("disk gone", e.Message);
        Assert.Equal(2L << 17, total); // the two whole blocks read before the failing one
    }

    [Fact]
    public void Disposing_before_the_end_stops_the_producer_and_the_inner_reader()
    {
        var inner = new DisposeWatchingReader(LongText(1 << 20));
        var reader = new PipelinedTextReader(inner);
        Assert.Equal('0', reader.Read());
        reader.Dispose(); // the producer is blocked on a full queue: it is cancelled, not waited for forever
        Assert.True(inner.Disposed);
        reader.Dispose(); // twice is fine
    }

    [Fact]
    public void The_producer_is_a_named_background_thread_that_ends_with_the_text()
    {
        var inner = new ThreadWatchingReader("a,b\n1,2\n");
        using var reader = new PipelinedTextReader(inner);
        Assert.Equal("a,b\n1,2\n", reader.ReadToEnd());
        // having handed over the end, the producer returns without reading its input again (a terminal would block there)
        Assert.True(inner.Producer!.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(("CsvDataset decode", true), (inner.Name, inner.IsBackground)); // a reader never disposed cannot keep the process alive
    }

    /// <summary>Gives its text in blocks, then throws where the third block would be.</summary>
    private sealed class FailingReader(string text) : TextReader
    {
        private int _position;

        public override int Read(char[] buffer, int index, int count)
        {
            if (_position >= 2 << 17)
                throw new IOException("disk gone");
            int n = Math.Min(count, text.Length - _position);
            text.CopyTo(_position, buffer, index, n);
            _position += n;
            return n;
        }
    }

    /// <summary>Gives its text, noting the thread that reads it.</summary>
    private sealed class ThreadWatchingReader(string text) : TextReader
    {
        private int _position;

        public Thread? Producer { get; private set; }

        public string? Name { get; private set; }

        public bool IsBackground { get; private set; }

        public override int Read(char[] buffer, int index, int count)
        {
            Producer = Thread.CurrentThread;
            Name = Producer.Name;
            IsBackground = Producer.IsBackground;
            int n = Math.Min(count, text.Length - _position);
            text.CopyTo(_position, buffer, index, n);
            _position += n;
            return n;
        }
    }

    private sealed class DisposeWatchingReader(string text) : StringReader(text)
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
