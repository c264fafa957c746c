namespace Engine.Cli;

/// <summary>
/// Standard output that a closed stream or a reader that went away (<c>mlp … | head</c>) cannot fail: the first
/// failed write turns the rest into no-ops, so the work (a saved model) is never lost to a broken pipe.
/// </summary>
internal sealed class SafeStdout(TextWriter inner) : TextWriter
{
    private bool _broken;

    public override System.Text.Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine { get => inner.NewLine; set => inner.NewLine = value; }

    public override void Write(char value) => Try(() => inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Try(() => inner.Write(buffer, index, count));

    public override void Write(string? value) => Try(() => inner.Write(value));

    public override void WriteLine(string? value) => Try(() => inner.WriteLine(value));

    public override void WriteLine() => Try(inner.WriteLine);

    public override void Flush() => Try(inner.Flush);

    private void Try(Action write)
    {
        if (_broken)
            return;
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _broken = true;
        }
    }
}
