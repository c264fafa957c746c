using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Engine.Data;

/// <summary>
/// A text reader that decodes (and inflates) on its own thread: a producer reads the inner reader into large
/// char blocks handed over through a bounded queue, so decompression and UTF-8 decoding on one core overlap
/// with CSV parsing on another. Blocks are recycled; an exception on the producer is rethrown to the reader.
/// </summary>
internal sealed class PipelinedTextReader : TextReader
{
    private const int BlockChars = 1 << 17;
    private const int Blocks = 4;

    private readonly TextReader _inner;
    private readonly BlockingCollection<char[]> _free = new(Blocks);
    private readonly BlockingCollection<(char[] Chars, int Count)> _full = new(Blocks);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _producer;
    private ExceptionDispatchInfo? _error;
    private char[]? _block;
    private int _count, _position;
    private bool _ended, _disposed;

    public PipelinedTextReader(TextReader inner)
    {
        _inner = inner;
        for (int i = 0; i < Blocks; i++)
            _free.Add(new char[BlockChars]);
        _producer = new Thread(Produce) { IsBackground = true, Name = "CsvDataset decode" };
        _producer.Start();
    }

    private void Produce()
    {
        try
        {
            while (true)
            {
                char[] block = _free.Take(_stop.Token);
                int n = _inner.ReadBlock(block, 0, block.Length);
                _full.Add((block, n), _stop.Token);
                if (n == 0)
                    return;
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) // handed to the reading thread, which rethrows it where it reads
        {
            _error = ExceptionDispatchInfo.Capture(e);
            try
            {
                _full.Add((Array.Empty<char>(), 0), _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Makes the current block non-empty; false at the end of the text.</summary>
    private bool Fill()
    {
        if (_position < _count)
            return true;
        if (_ended)
            return false;
        if (_block is not null)
        {
            _free.Add(_block);
            _block = null;
        }
        var (chars, count) = _full.Take();
        if (count == 0)
        {
            _ended = true;
            _error?.Throw();
            return false;
        }
        _block = chars;
        _count = count;
        _position = 0;
        return true;
    }

    public override int Read(Span<char> buffer)
    {
        if (buffer.IsEmpty || !Fill())
            return 0;
        int n = Math.Min(buffer.Length, _count - _position);
        _block.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read() => Fill() ? _block![_position++] : -1;

    public override int Peek() => Fill() ? _block![_position] : -1;

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _stop.Cancel();
            _producer.Join();
            _inner.Dispose();
            _stop.Dispose();
            _free.Dispose();
            _full.Dispose();
        }
        base.Dispose(disposing);
    }
}
