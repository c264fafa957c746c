namespace Engine.Tests.Data;

/// <summary><see cref="ForwardOnlyStream"/>: read-only and forward-only, its position what it has returned, its inner stream disposed with it.</summary>
public class ForwardOnlyStreamTests
{
    /// <summary>Passes reads through, counting the bytes returned.</summary>
    private sealed class Counting(Stream inner) : ForwardOnlyStream(inner)
    {
        private long _consumed;

        protected override long Consumed => _consumed;

        public override int Read(Span<byte> buffer)
        {
            int n = Inner.Read(buffer);
            _consumed += n;
            return n;
        }
    }

    private sealed class Watched(byte[] bytes) : MemoryStream(bytes)
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    [Fact]
    public void Reads_go_to_the_span_read_with_the_array_offset()
    {
        using var stream = new Counting(new MemoryStream([1, 2, 3, 4, 5]));
        var buffer = new byte[8];
        Assert.Equal(3, stream.Read(buffer, 2, 3));
        Assert.Equal(new byte[] { 0, 0, 1, 2, 3, 0, 0, 0 }, buffer);
        Assert.Equal(3, stream.Position);
        Assert.Equal(4, stream.ReadByte());
        Assert.Equal(4, stream.Position);
        Assert.Equal(1, stream.Read(buffer, 0, 8));
        Assert.Equal(0, stream.Read(buffer, 0, 8));
        Assert.Equal(5, stream.Position);
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Read(buffer, 6, 3));
    }

    [Fact]
    public void Only_reading_is_supported()
    {
        using var stream = new Counting(new MemoryStream([1, 2]));
        Assert.True(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Position = 0);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(1));
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
        stream.Flush(); // nothing to flush, no error
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public void Disposing_disposes_the_inner_stream()
    {
        var inner = new Watched([1]);
        var stream = new Counting(inner);
        Assert.False(inner.Disposed);
        stream.Dispose();
        Assert.True(inner.Disposed);
    }

    [Fact]
    public void A_finalizer_style_dispose_leaves_the_inner_stream()
    {
        var inner = new Watched([1]);
        var stream = new Finalized(inner);
        stream.DisposeFromFinalizer();
        Assert.False(inner.Disposed);
        inner.Dispose();
    }

    private sealed class Finalized(Stream inner) : ForwardOnlyStream(inner)
    {
        protected override long Consumed => 0;

        public override int Read(Span<byte> buffer) => 0;

        public void DisposeFromFinalizer() => Dispose(disposing: false);
    }
}
