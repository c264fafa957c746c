using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Engine.Serialization;

/// <summary>
/// The container the model (.mlp) and checkpoint (.ckpt) files share:
/// <code>
/// magic        8 bytes, names the kind of file
/// version      u32 little-endian
/// headerLength u32 little-endian
/// header       UTF-8 JSON
/// payload      float32 values, little-endian
/// crc32        u32 little-endian, CRC-32 of every byte before it
/// </code>
/// Reading checks the length, magic, version, header length and checksum before anything is parsed.
/// </summary>
internal static class FramedFile
{
    public const int PrefixBytes = 16; // magic + version + header length

    /// <summary>Receives one tensor's values to append to the payload.</summary>
    public delegate void TensorSink(ReadOnlySpan<float> values);

    /// <summary>A file read and checked: its bytes, where the header and the payload are.</summary>
    public sealed record Contents(byte[] Bytes, int HeaderLength)
    {
        public int PayloadOffset => PrefixBytes + HeaderLength;

        public long PayloadLength => Bytes.Length - 4L - PayloadOffset;

        public ReadOnlySpan<byte> Header => Bytes.AsSpan(PrefixBytes, HeaderLength);
    }

    /// <summary>Writes the file atomically; <paramref name="payload"/> hands every tensor, in order, to the sink.</summary>
    public static void Write(string path, ReadOnlySpan<byte> magic, uint version, byte[] header, Action<TensorSink> payload)
    {
        byte[] prefix = new byte[PrefixBytes];
        magic.CopyTo(prefix);
        BinaryPrimitives.WriteUInt32LittleEndian(prefix.AsSpan(8), version);
        BinaryPrimitives.WriteUInt32LittleEndian(prefix.AsSpan(12), (uint)header.Length);
        AtomicFile.Write(path, stream =>
        {
            var crc = new Crc32();
            void Put(ReadOnlySpan<byte> bytes)
            {
                crc.Append(bytes);
                stream.Write(bytes);
            }
            Put(prefix);
            Put(header);
            payload(values => Put(LittleEndianBytes(values)));
            Span<byte> trailer = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc.GetCurrentHashAsUInt32());
            stream.Write(trailer);
        });
    }

    /// <summary>Reads and checks a file of the given kind (e.g. "model file", "checkpoint").</summary>
    public static Contents Read(string path, ReadOnlySpan<byte> magic, uint version, string kind, int maxHeaderBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            throw new ModelFormatException(path, $"is a directory, not an Engine {kind}.");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: {kind} not found.", path);
        long length = new FileInfo(path).Length;
        if (length < PrefixBytes + 4)
            throw new ModelFormatException(path, $"file is {length} bytes, too short to be an Engine {kind} (truncated?).");
        if (length > int.MaxValue)
            throw new ModelFormatException(path, $"file is {length} bytes, larger than any Engine {kind}.");
        byte[] bytes = File.ReadAllBytes(path);
        if (!bytes.AsSpan(0, 8).SequenceEqual(magic))
            throw new ModelFormatException(path, $"not an Engine {kind} (wrong magic bytes).");
        uint found = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (found != version)
            throw new ModelFormatException(path, $"{kind} format version {found} is not supported (this build reads version {version}).");
        uint headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        if (headerLength > maxHeaderBytes || PrefixBytes + (long)headerLength + 4 > bytes.Length)
            throw new ModelFormatException(path, $"header length {headerLength} does not fit in a {bytes.Length}-byte file (truncated or corrupted).");
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4));
        uint actual = Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4));
        if (stored != actual)
            throw new ModelFormatException(path, $"checksum mismatch (stored {stored:X8}, computed {actual:X8}): the file is corrupted or truncated.");
        return new Contents(bytes, (int)headerLength);
    }

    /// <summary>The header as <typeparamref name="THeader"/>; invalid or empty JSON is a <see cref="ModelFormatException"/>.</summary>
    public static THeader ParseHeader<THeader>(string path, Contents contents, JsonSerializerOptions json)
        where THeader : class
    {
        try
        {
            return JsonSerializer.Deserialize<THeader>(contents.Header, json) ?? throw new ModelFormatException(path, "header is empty.");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(path, $"header is not valid JSON ({e.Message}).");
        }
    }

    /// <summary>The values as little-endian bytes (a view of them on little-endian machines).</summary>
    public static ReadOnlySpan<byte> LittleEndianBytes(ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
            return MemoryMarshal.AsBytes(values);
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        return bytes;
    }

    /// <summary>Fills <paramref name="values"/> from little-endian bytes.</summary>
    public static void ReadLittleEndian(ReadOnlySpan<byte> bytes, Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
    }
}
