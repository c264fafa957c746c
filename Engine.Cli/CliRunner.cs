namespace Engine.Cli;

/// <summary>Parses, runs, and turns failures into exit codes and one readable line.</summary>
internal static class CliRunner
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130; // 128 + SIGINT, as shells report a Ctrl-C

    public static int Run(RootCommand root, string[] args)
    {
        // Tables are drawn 80 columns wide when stdout is not a terminal; give them room, and write no escape
        // codes into a file or pipe (nor anywhere when NO_COLOR is set, as no-color.org asks).
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = 160;
        if (Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")))
        {
            AnsiConsole.Profile.Capabilities.Ansi = false;
            AnsiConsole.Profile.Capabilities.ColorSystem = ColorSystem.NoColors;
        }
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"mlp: {OneLine(ParseError(root, args, parse.Errors[0].Message))} (see 'mlp --help')");
            return BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsBadInput(e))
        {
            Console.Error.WriteLine($"mlp: {OneLine(Describe(e))}");
            return BadInput;
        }
        catch (Exception e)
        {
            // Not the user's doing: a bug in mlp or the library. Say so, and how to help.
            Console.Error.WriteLine($"mlp: unexpected error: {OneLine(e.Message)} — this is a bug in mlp; please report it with the command you ran.");
            return Failure;
        }
    }

    private static string Describe(Exception e) => e switch
    {
        UnauthorizedAccessException => $"permission denied: {e.Message}",
        _ => e.Message,
    };

    /// <summary>
    /// The parser's error in the user's words: an unknown command lists the commands, an option given twice says so, a
    /// value that does not parse says what was expected, never a .NET type name.
    /// </summary>
    internal static string ParseError(RootCommand root, string[] args, string message)
    {
        string[] commands = [.. root.Subcommands.Select(c => c.Name)];
        if (args.Length == 0 || (!args[0].StartsWith('-') && !commands.Contains(args[0])))
        {
            string what = args.Length == 0 ? "give a command" : $"'{Escape(args[0])}' is not a command";
            return $"{what}; the commands are {string.Join(", ", commands)}.";
        }
        var twice = System.Text.RegularExpressions.Regex.Match(message, @"^Option '([^']*)' expects a single argument but (\d+) were provided");
        if (twice.Success)
            return $"{twice.Groups[1].Value} is given {twice.Groups[2].Value} times; give it once.";
        var parse = System.Text.RegularExpressions.Regex.Match(message, @"^Cannot parse argument '(.*)' for option '([^']*)' as expected type '([^']*)'");
        if (parse.Success)
        {
            string type = parse.Groups[3].Value;
            string expected = type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) ? "a number (e.g. 0.01 or 1e-3)"
                : type.Contains("UInt", StringComparison.Ordinal) ? "a whole number ≥ 0"
                : type.Contains("Int", StringComparison.Ordinal) ? "a whole number"
                : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
                : "a valid value";
            return $"{parse.Groups[2].Value}: '{Escape(parse.Groups[1].Value)}' is not {expected}.";
        }
        // Whatever else the parser says, no .NET type names.
        return System.Text.RegularExpressions.Regex.Replace(message, @"'System\.[^']*'", "the expected kind of value");
    }

    /// <summary>A message on one line: line breaks and tabs become single spaces; other control characters are escaped.</summary>
    public static string OneLine(string message) =>
        Escape(string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));

    /// <summary>
    /// Text from a file or the command line made safe for a terminal: control characters (ANSI escapes, NUL, C1 codes,
    /// bidirectional overrides) are written as \xNN or \uNNNN, so nothing from the data reaches the terminal raw.
    /// </summary>
    public static string Escape(string text)
    {
        if (!text.AsSpan().ContainsAny(Unsafe))
            return text;
        var sb = new System.Text.StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (c == '\0')
                sb.Append("\\0");
            else if (c < 0x20 || c is (char)0x7F || c is >= (char)0x80 and <= (char)0x9F)
                sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            else if (Unsafe.Contains(c))
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else
                sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Text from a file for a Spectre table or markup line: control characters escaped, brackets escaped.</summary>
    public static string Safe(string text) => Markup.Escape(Escape(text));

    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(i => (char)i), (char)0x7F, .. Enumerable.Range(0x80, 0x20).Select(i => (char)i),
         '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']);

    /// <summary>
    /// Errors the user can fix, by cause: a bad or unsuitable data or model file, a bad option value, a missing or
    /// unreadable file. Everything else (an <see cref="ArgumentException"/> from deep inside included) is a bug.
    /// </summary>
    public static bool IsBadInput(Exception e) => e is DataFormatException or ModelFormatException or IncompatibleDataException
        or UsageException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException;
}
