namespace Engine.Tests.Data;

/// <summary><see cref="InvalidUtf8Fallback"/>: the encoding chosen from a BOM, invalid bytes decoded to U+FFFD and flagged.</summary>
public class InvalidUtf8FallbackTests
{
    public static TheoryData<byte[], string, byte[]> Boms => new()
    {
        { [0xFF, 0xFE, 0, 0], "utf-32", [0xFF, 0xFE, 0, 0] },
        { [0, 0, 0xFE, 0xFF], "utf-32BE", [0, 0, 0xFE, 0xFF] },
        { [0xFF, 0xFE, 0x41, 0], "utf-16", [0xFF, 0xFE] },
        { [0xFF, 0xFE], "utf-16", [0xFF, 0xFE] },
        { [0xFE, 0xFF, 0, 0x41], "utf-16BE", [0xFE, 0xFF] },
        { [0xEF, 0xBB, 0xBF, 0x41], "utf-8", [0xEF, 0xBB, 0xBF] },
        { [0x61, 0x2C, 0x62, 0x0A], "utf-8", [0xEF, 0xBB, 0xBF] },
        { [], "utf-8", [0xEF, 0xBB, 0xBF] },
        { [0xFF, 0xFE, 0], "utf-16", [0xFF, 0xFE] },  // three bytes: not a UTF-32 BOM
        { [0, 0, 0xFE], "utf-8", [0xEF, 0xBB, 0xBF] },
    };

    [Theory]
    [MemberData(nameof(Boms))]
    public void The_BOM_chooses_the_encoding_and_is_its_preamble(byte[] start, string webName, byte[] preamble)
    {
        var encoding = InvalidUtf8Fallback.Encoding(start, out var fallback);
        Assert.Equal(webName, encoding.WebName);
        Assert.Equal(preamble, encoding.GetPreamble());
        Assert.Same(fallback, encoding.DecoderFallback);
        Assert.False(fallback.Seen);
        Assert.Equal("a,é", encoding.GetString(encoding.GetBytes("a,é")));
        Assert.False(fallback.Seen);
    }

    [Fact]
    public void Each_encoding_gets_its_own_fallback_and_the_shared_ones_are_untouched()
    {
        var a = InvalidUtf8Fallback.Encoding([], out var fa);
        var b = InvalidUtf8Fallback.Encoding([], out var fb);
        Assert.NotSame(fa, fb);
        Assert.Equal("\uFFFD", a.GetString([0xFF]));
        Assert.True(fa.Seen);
        Assert.False(fb.Seen);
        Assert.Equal("x", b.GetString([0x78]));
        Assert.IsNotType<InvalidUtf8Fallback>(Encoding.UTF8.DecoderFallback);
    }

    [Fact]
    public void Invalid_UTF8_is_one_replacement_char_per_bad_sequence_and_is_flagged()
    {
        var encoding = InvalidUtf8Fallback.Encoding([0x61], out var fallback);
        // 0xFF and 0xC3 without its continuation are invalid; 0xC3 0xA9 is é
        Assert.Equal("a\uFFFDb\uFFFD,é", encoding.GetString([0x61, 0xFF, 0x62, 0xC3, 0x2C, 0xC3, 0xA9]));
        Assert.True(fallback.Seen);
        Assert.Equal(1, fallback.MaxCharCount);
    }

    [Fact]
    public void A_lone_surrogate_in_UTF16_is_flagged_too()
    {
        var encoding = InvalidUtf8Fallback.Encoding([0xFF, 0xFE, 0x61, 0], out var fallback);
        // little-endian: 'a', a lone high surrogate D800, then 'b'
        Assert.Equal("a\uFFFDb", encoding.GetString([0x61, 0, 0x00, 0xD8, 0x62, 0]));
        Assert.True(fallback.Seen);
    }

    [Fact]
    public void A_stream_reader_keeps_the_fallback_and_skips_the_BOM()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, 0x78, 0x2C, 0xFE, 0x0A];
        var encoding = InvalidUtf8Fallback.Encoding(bytes, out var fallback);
        using var reader = new StreamReader(new MemoryStream(bytes), encoding, detectEncodingFromByteOrderMarks: false);
        Assert.Equal("x,\uFFFD\n", reader.ReadToEnd());
        Assert.True(fallback.Seen);
    }

    [Fact]
    public void The_buffer_gives_one_replacement_char_per_fallback()
    {
        var fallback = InvalidUtf8Fallback.Encoding([], out _).DecoderFallback;
        var owner = Assert.IsType<InvalidUtf8Fallback>(fallback);
        var buffer = fallback.CreateFallbackBuffer();
        Assert.Equal(0, buffer.Remaining);
        Assert.Equal('\0', buffer.GetNextChar());
        Assert.False(owner.Seen);
        Assert.True(buffer.Fallback([0xFF], 0));
        Assert.True(owner.Seen);
        Assert.Equal(1, buffer.Remaining);
        Assert.False(buffer.MovePrevious()); // nothing handed out yet
        Assert.Equal('\uFFFD', buffer.GetNextChar());
        Assert.Equal(0, buffer.Remaining);
        Assert.Equal('\0', buffer.GetNextChar());
        Assert.True(buffer.MovePrevious());
        Assert.Equal(1, buffer.Remaining);
        Assert.Equal('\uFFFD', buffer.GetNextChar());
        Assert.True(buffer.Fallback([0xC3], 0));
        buffer.Reset();
        Assert.Equal(0, buffer.Remaining);
        Assert.Equal('\0', buffer.GetNextChar());
    }
}
